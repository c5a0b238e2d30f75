// The build-rpms action: builds the manifest's packages into the RPM repository,
// or (plan: true) only outputs the shard matrix for a parallel build.
import { packagesWithPython } from '../bootstrap-python/package.js';
import { buildRpms } from '../build-rpms/index.js';
import { checkPackageNames, parseShard, planShards } from '../pipeline/shards.js';
import { actionContext, loadInputs } from './shared/context.js';
import { inputs } from './shared/inputs.js';
import { setOutputs } from './shared/outputs.js';
import { runAction } from './shared/run.js';

await runAction('build-rpms', async (reporter) => {
  const { common, m } = loadInputs(reporter);
  const backend = inputs.choice('backend', ['container', 'mock'] as const);
  const only = checkPackageNames(inputs.list('only'), "input 'only'", m);
  const shard = parseShard(inputs.json('shard'), "input 'shard'", m);
  if (inputs.boolean('plan', false)) {
    const matrix = planShards(m);
    setOutputs({ matrix: JSON.stringify(matrix) });
    reporter.table({ title: 'Shards', header: ['shard', 'packages'], rows: matrix.include.map((s) => [s.name, s.only.join(', ')]) });
    return;
  }
  if (backend) m.manifest = { ...m.manifest, build: { ...m.manifest.build, backend } };
  const ctx = await actionContext(common, reporter);
  const selected = [...new Set([...only, ...(shard?.only ?? [])])];
  const r = await buildRpms(ctx, m, { packages: await packagesWithPython(ctx, m), only: selected.length ? selected : undefined });
  const built = r.packages.filter((p) => p.status === 'built').length;
  setOutputs({ repository: r.repository, built, cached: r.packages.length - built });
});
