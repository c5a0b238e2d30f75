// The build-rpms action: builds the manifest's packages into the RPM repository,
// or (plan: true) only outputs the shard plan and the platforms for a parallel workflow.
import { relative } from 'node:path';
import { packagesWithPython } from '../bootstrap-python/package.js';
import { defaultRpmName } from '../bootstrap-python/spec.js';
import type { LoadedManifest } from '../manifest/load.js';
import type { ResolvedPackage } from '../manifest/resolve.js';
import { selectPlatforms } from '../manifest/select-platforms.js';
import { buildRpms, planBuild } from '../build-rpms/index.js';
import { checkPackageNames, DEFAULT_SHARDS, parseShard, planShards, WORKFLOW_STAGES } from '../pipeline/shards.js';
import { cachedBuild } from './shared/build.js';
import { actionContext, loadInputs } from './shared/start.js';
import { pullImages } from './shared/images.js';
import { inputs } from './shared/inputs.js';
import { setOutputs } from './shared/outputs.js';
import { runAction } from './shared/run.js';

await runAction('build-rpms', async (reporter) => {
  const { common, m } = loadInputs(reporter);
  // The plan's packages are the manifest's and our CPython (bootstrap-python's): shards and only name both.
  const planned = withPythonName(m);
  const only = checkPackageNames(inputs.list('only'), "input 'only'", planned);
  const shard = parseShard(inputs.json('shard'), "input 'shard'", planned);
  const shards = inputs.int('shards') ?? DEFAULT_SHARDS;
  const stages = inputs.int('stages') ?? WORKFLOW_STAGES;
  const merge = inputs.string('merge');
  const requireBuilt = inputs.boolean('require-built', false);
  const plan = inputs.boolean('plan', false);
  // Checked before any container starts, like the manifest.
  const platforms = plan ? platformMatrix(m, inputs.list('platforms')) : undefined;
  const ctx = await actionContext(common, reporter, m);
  await pullImages(ctx, [m.buildPlatform.image]);
  const packages = await packagesWithPython(ctx, m);
  if (plan) {
    // Plans the build (specs queried in the build image), compiles nothing.
    const built = await planBuild(ctx, m, { packages, only: only.length ? only : undefined });
    const p = planShards(built.levels, shards, stages);
    const deepest = built.levels.length - 1;
    if (deepest >= stages) {
      const rest = built.levels.slice(stages - 1).flat().length;
      reporter.warning(`the build has ${deepest + 1} dependency levels: levels ${stages - 1} to ${deepest} (${rest} packages) are built one after the other in one job of the last stage; give more stages to split them`);
    }
    setOutputs({
      matrix: JSON.stringify({ include: p.include }),
      stages: JSON.stringify(p.levels),
      'stage-count': p.levels.length,
      platforms: JSON.stringify({ include: platforms }),
      version: m.manifest.version,
      repository: relative(process.env.GITHUB_WORKSPACE || process.cwd(), m.repository) || '.',
    });
    reporter.table({ title: 'Shards', header: ['stage', 'shard', 'packages'], rows: p.include.map((s) => [String(s.level), s.name, s.only.join(', ')]) });
    return;
  }
  // A shard builds exactly its packages: the earlier stages' come from the merged repositories.
  const selected = shard ? shard.only : only;
  const run = await cachedBuild(
    ctx,
    m,
    // Only a build of everything is saved: a shard's repository is partial (the workflow merges shards).
    { save: selected.length === 0, merge: merge || undefined, requireBuilt, logsSuffix: shard?.name },
    (beforeBuild) => buildRpms(ctx, m, { packages, only: selected.length ? selected : undefined, exact: shard !== undefined, beforeBuild }),
  );
  const built = run.result.packages.filter((p) => p.status === 'built').length;
  setOutputs({
    repository: run.result.repository,
    built,
    cached: run.result.packages.length - built,
    'staged-repository': run.staged ?? '',
    'repository-cache-hit': run.cache?.hit ?? '',
    'repository-cache-key': run.cache?.key ?? '',
  });
});

/** The manifest as far as package names go, with our CPython's among them (known before anything runs). */
function withPythonName(m: LoadedManifest): LoadedManifest {
  const python = m.manifest.python;
  return { ...m, packages: [...m.packages, { name: python.rpmName ?? defaultRpmName(python.version) } as ResolvedPackage] };
}

/** The platforms to test as a matrix (`all`, or names of the manifest's platforms). */
function platformMatrix(m: LoadedManifest, names: string[]): Array<{ platform: string; required: boolean; image: string }> {
  return selectPlatforms(m, names, "input 'platforms'").map((p) => ({ platform: p.name, required: p.required !== false, image: p.image }));
}
