// The build-rpms action: builds the manifest's packages into the RPM repository,
// or (plan: true) only outputs the shard matrix for a parallel build.
import { resolve } from 'node:path';
import { packagesWithPython } from '../bootstrap-python/package.js';
import { buildRpms } from '../build-rpms/index.js';
import { checkPackageNames, DEFAULT_SHARDS, mergeShardRepositories, parseShard, planShardsOf, WORKFLOW_STAGES } from '../pipeline/shards.js';
import { cachedBuild } from './shared/build.js';
import { actionContext, loadInputs } from './shared/context.js';
import { inputs } from './shared/inputs.js';
import { setOutputs } from './shared/outputs.js';
import { runAction } from './shared/run.js';

await runAction('build-rpms', async (reporter) => {
  const { common, m } = loadInputs(reporter);
  const backend = inputs.choice('backend', ['container', 'mock'] as const);
  const only = checkPackageNames(inputs.list('only'), "input 'only'", m);
  const shard = parseShard(inputs.json('shard'), "input 'shard'", m);
  const shards = inputs.int('shards') ?? DEFAULT_SHARDS;
  const merge = inputs.string('merge');
  if (backend) m.manifest = { ...m.manifest, build: { ...m.manifest.build, backend } };
  const ctx = await actionContext(common, reporter, m);
  const packages = await packagesWithPython(ctx, m);
  if (inputs.boolean('plan', false)) {
    // Plans the build (specs queried in the build image), compiles nothing.
    const plan = await planShardsOf(ctx, m, packages, shards, WORKFLOW_STAGES);
    setOutputs({ matrix: JSON.stringify({ include: plan.include }), stages: JSON.stringify(plan.levels) });
    reporter.table({ title: 'Shards', header: ['stage', 'shard', 'packages'], rows: plan.include.map((s) => [String(s.level), s.name, s.only.join(', ')]) });
    return;
  }
  if (merge) {
    const merged = await mergeShardRepositories(ctx, m, resolve(merge));
    reporter.info(`build-rpms: merged ${merged.added.length} package(s) from the shard repositories in ${merge} (${merged.present.length} already present)`);
  }
  // A shard builds exactly its packages: the earlier stages' come from the merged repositories.
  const selected = shard ? shard.only : only;
  // Only a build of everything is saved: a shard's repository is partial (the workflow merges shards).
  const r = await cachedBuild(ctx, m, { save: selected.length === 0 }, (beforeBuild) =>
    buildRpms(ctx, m, { packages, only: selected.length ? selected : undefined, exact: shard !== undefined, beforeBuild }),
  );
  const built = r.packages.filter((p) => p.status === 'built').length;
  setOutputs({ repository: r.repository, built, cached: r.packages.length - built });
});
