import { join } from 'node:path';
import { bundleDiracos, bundleExtension } from '../../bundle-diracos/index.js';
import { bundleTable } from '../../pipeline/summaries.js';
import { bundleArtifactName, extensionOutputs, extensionRequest } from '../../pipeline/bundle-artifact.js';
import type { Reporter } from '../../reporting/reporter.js';
import { option, type Parsed } from '../args.js';
import { cliContext, cliManifest } from '../start.js';

export async function run(p: Parsed, reporter: Reporter): Promise<void> {
  const m = cliManifest(p, reporter);
  const compression = option.choice(p, 'compression', ['gzip', 'zstd'] as const);
  const extension = extensionRequest(option.string(p, 'extends'), option.string(p, 'extension-name'), { extends: '--extends', name: '--extension-name' });
  const ctx = await cliContext(p, reporter, m);
  if (extension) {
    const { outDir, artifact } = extensionOutputs(m, ctx.workdir, extension.name);
    const r = await reporter.group('bundle extension', () => bundleExtension(ctx, m, { baseTarball: extension.base, name: extension.name, outDir, compression }));
    reporter.table(bundleTable(r, await ctx.artifacts.upload(artifact, r.files, outDir)));
    return;
  }
  const outDir = join(ctx.workdir, 'bundle-diracos', 'out');
  const r = await reporter.group('bundle', () => bundleDiracos(ctx, m, { outDir, compression, force: p.values.force === true, lockTimeoutSeconds: option.seconds(p, 'lock-timeout') }));
  // Stored like the action's artifact, so `diracos test-platforms` finds it without --tarball.
  const artifact = await ctx.artifacts.upload(bundleArtifactName(m), r.files, outDir);
  reporter.table(bundleTable(r, artifact));
}
