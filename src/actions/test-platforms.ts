// The test-platforms action: checks the tarball statically and on each platform's container.
import { join } from 'node:path';
import { testPlatforms } from '../test-platforms/index.js';
import { DiracosError } from '../shared/errors.js';
import { requiredFailures } from '../pipeline/summaries.js';
import { locateTarball, selectPlatforms } from '../pipeline/tarball.js';
import { actionContext, loadInputs } from './shared/context.js';
import { inputs } from './shared/inputs.js';
import { setOutputs } from './shared/outputs.js';
import { runAction } from './shared/run.js';

await runAction('test-platforms', async (reporter) => {
  const { common, m } = loadInputs(reporter);
  const platforms = selectPlatforms(m, inputs.string('platform', 'all'), "input 'platform'");
  const tarballRef = inputs.string('tarball');
  const ctx = await actionContext(common, reporter, m);
  const tarball = await locateTarball(ctx, m, tarballRef, "input 'tarball'");
  const r = await testPlatforms(ctx, m, { tarball, platforms, outDir: join(ctx.workdir, 'test-platforms', 'out') });
  const passed = r.platforms.filter((p) => p.ok).length;
  setOutputs({ passed, failed: r.platforms.length - passed, junit: r.junit });
  const failure = requiredFailures(r);
  if (failure) throw new DiracosError(failure);
});
