// The bootstrap-python action: builds (or restores) the CPython RPM every other package builds against.
import { bootstrapPython } from '../bootstrap-python/index.js';
import { pythonTable } from '../pipeline/summaries.js';
import { cachedBuild } from './shared/build.js';
import { startAction } from './shared/context.js';
import { setOutputs } from './shared/outputs.js';
import { runAction } from './shared/run.js';

await runAction('bootstrap-python', async (reporter) => {
  const { m, ctx } = await startAction(reporter);
  // Python is built first: save what this job built, so the build-rpms jobs restore it.
  const r = await cachedBuild(ctx, m, { save: true }, (beforeBuild) => bootstrapPython(ctx, m, { beforeBuild }));
  setOutputs({ rpm: r.rpm, 'python-version': r.version, 'cache-key': r.key, 'cache-hit': r.cacheHit });
  reporter.table(pythonTable(r));
});
