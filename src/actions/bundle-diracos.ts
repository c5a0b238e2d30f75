// The bundle-diracos action: turns the RPM repository into the relocatable DIRACOS tarball, or
// (input extends) makes an extension of a base tarball.
import { basename, join } from 'node:path';
import { bundleDiracos, bundleExtension } from '../bundle-diracos/index.js';
import { bundleTable } from '../pipeline/summaries.js';
import { bundleArtifactName, extensionOutputs, extensionRequest } from '../pipeline/bundle-artifact.js';
import { actionContext, loadInputs } from './shared/start.js';
import { inputs } from './shared/inputs.js';
import { setOutputs } from './shared/outputs.js';
import { runAction } from './shared/run.js';

await runAction('bundle-diracos', async (reporter) => {
  const { common, m } = loadInputs(reporter);
  const compression = inputs.choice('compression', ['gzip', 'zstd'] as const);
  const upload = inputs.boolean('upload-artifact', true);
  const extension = extensionRequest(inputs.string('extends') || undefined, inputs.string('extension-name') || undefined, { extends: "input 'extends'", name: "input 'extension-name'" });
  const ctx = await actionContext(common, reporter, m);
  const ext = extension ? extensionOutputs(m, ctx.workdir, extension.name) : undefined;
  const artifactName = inputs.string('artifact-name', ext?.artifact ?? bundleArtifactName(m));
  const outDir = ext?.outDir ?? join(ctx.workdir, 'bundle-diracos', 'out');
  const r = extension
    ? await bundleExtension(ctx, m, { baseTarball: extension.base, name: extension.name, outDir, compression })
    : await bundleDiracos(ctx, m, { outDir, compression });
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
