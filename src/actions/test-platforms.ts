// The test-platforms action: checks the tarball statically and on each platform's container.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { testPlatforms } from '../test-platforms/index.js';
import { DiracosError } from '../shared/errors.js';
import { requiredFailures } from '../pipeline/summaries.js';
import { selectPlatforms } from '../manifest/select-platforms.js';
import { locateTarball } from '../pipeline/bundle-artifact.js';
import { actionContext, loadInputs } from './shared/start.js';
import { pullImages } from './shared/images.js';
import { inputs } from './shared/inputs.js';
import { setOutputs } from './shared/outputs.js';
import { runAction } from './shared/run.js';

await runAction('test-platforms', async (reporter) => {
  const { common, m } = loadInputs(reporter);
  const platformInput = inputs.string('platform', 'all');
  const selected = selectPlatforms(m, [platformInput], "input 'platform'");
  const platforms = selected.map((p) => p.name);
  const tarballRef = inputs.string('tarball');
  const uploadJunit = inputs.boolean('upload-junit', true);
  const force = inputs.boolean('force', false);
  const junitArtifact = inputs.string('junit-artifact', `diracos-junit-${platformInput}`);
  const ctx = await actionContext(common, reporter, m);
  const tarball = await locateTarball(ctx, m, tarballRef, "input 'tarball'");
  await pullImages(ctx, selected.map((p) => p.image));
  const outDir = join(ctx.workdir, 'test-platforms', 'out');
  const r = await testPlatforms(ctx, m, { tarball, platforms, outDir, force });
  const passed = r.platforms.filter((p) => p.ok).length;
  // Per platform (the static checks included): what a later step or job decides on.
  const results = r.platforms.map((p) => ({
    platform: p.name,
    required: p.required,
    ok: p.ok,
    skipped: p.skipped,
    passed: p.checks.reduce((n, c) => n + c.passed, 0),
    failed: p.checks.reduce((n, c) => n + c.failed, 0),
  }));
  let artifactId = '';
  if (uploadJunit) {
    const resultsFile = join(outDir, 'results.json');
    await writeFile(resultsFile, JSON.stringify(results, null, 2) + '\n');
    artifactId = await ctx.artifacts.upload(junitArtifact, [r.junit, resultsFile], outDir);
  }
  setOutputs({
    passed,
    failed: r.platforms.length - passed,
    junit: r.junit,
    results: JSON.stringify(results),
    'junit-artifact': uploadJunit ? junitArtifact : '',
    'junit-artifact-id': artifactId,
  });
  const failure = requiredFailures(r);
  if (failure) throw new DiracosError(failure);
});
