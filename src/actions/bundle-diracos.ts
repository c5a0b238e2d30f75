// The bundle-diracos action: turns the RPM repository into the relocatable DIRACOS tarball.
import { basename, join } from 'node:path';
import { bundleDiracos } from '../bundle-diracos/index.js';
import { bundleTable } from '../pipeline/summaries.js';
import { bundleArtifactName } from '../pipeline/bundle-artifact.js';
import { actionContext, loadInputs } from './shared/start.js';
import { inputs } from './shared/inputs.js';
import { setOutputs } from './shared/outputs.js';
import { runAction } from './shared/run.js';

await runAction('bundle-diracos', async (reporter) => {
  const { common, m } = loadInputs(reporter);
  const compression = inputs.choice('compression', ['gzip', 'zstd'] as const);
  const upload = inputs.boolean('upload-artifact', true);
  const artifactName = inputs.string('artifact-name', bundleArtifactName(m));
  const ctx = await actionContext(common, reporter, m);
  const outDir = join(ctx.workdir, 'bundle-diracos', 'out');
  const r = await bundleDiracos(ctx, m, { outDir, compression });
  const artifactId = upload ? await ctx.artifacts.upload(artifactName, r.files, outDir) : '';
  setOutputs({
    tarball: r.tarball,
    'tarball-name': basename(r.tarball),
    sha256: r.sha256,
    size: r.size,
    'artifact-name': upload ? artifactName : '',
    'artifact-id': artifactId,
  });
  reporter.table(bundleTable(r, upload ? `${artifactName} (${artifactId})` : undefined));
});
