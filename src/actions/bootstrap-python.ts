// The bootstrap-python action: builds (or restores) the CPython RPM every other package builds against.
import { bootstrapPython } from '../bootstrap-python/index.js';
import { pythonTable } from '../pipeline/summaries.js';
import { startAction } from './shared/context.js';
import { setOutputs } from './shared/outputs.js';
import { runAction } from './shared/run.js';

await runAction('bootstrap-python', async (reporter) => {
  const { m, ctx } = await startAction(reporter);
  const r = await bootstrapPython(ctx, m);
  setOutputs({ rpm: r.rpm, 'python-version': r.version, 'cache-key': r.key, 'cache-hit': r.cacheHit });
  reporter.table(pythonTable(r));
});
