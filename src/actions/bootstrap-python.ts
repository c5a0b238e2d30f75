// The bootstrap-python action: builds (or restores) the CPython RPM every other package builds against.
import { bootstrapPython } from '../bootstrap-python/index.js';
import { pythonTable } from '../pipeline/summaries.js';
import { cachedBuild } from './shared/build.js';
import { actionContext, loadInputs } from './shared/start.js';
import { pullImages } from './shared/images.js';
import { setOutputs } from './shared/outputs.js';
import { runAction } from './shared/run.js';

await runAction('bootstrap-python', async (reporter) => {
  const { common, m } = loadInputs(reporter);
  const ctx = await actionContext(common, reporter, m);
  await pullImages(ctx, [m.buildPlatform.image]);
  // Python is built first: save what this job built, so the build-rpms jobs restore it.
  const run = await cachedBuild(ctx, m, { save: true, logsSuffix: 'python' }, (beforeBuild) => bootstrapPython(ctx, m, { beforeBuild }));
  const r = run.result;
  setOutputs({
    rpm: r.rpm,
    'python-version': r.version,
    'cache-key': r.key,
    'cache-hit': r.cacheHit,
    repository: m.repository,
    'staged-repository': run.staged ?? '',
    'repository-cache-hit': run.cache?.hit ?? '',
    'repository-cache-key': run.cache?.key ?? '',
  });
  reporter.table(pythonTable(r));
});
