import { selectPlatforms } from '../../manifest/select-platforms.js';
import { buildAll } from '../../pipeline/build.js';
import { checkPackageNames } from '../../pipeline/shards.js';
import type { Reporter } from '../../reporting/reporter.js';
import { option, type Parsed } from '../args.js';
import { cliContext, cliManifest } from '../start.js';

export async function run(p: Parsed, reporter: Reporter): Promise<void> {
  const m = cliManifest(p, reporter);
  const only = checkPackageNames(option.list(p, 'only'), '--only', m);
  const platforms = selectPlatforms(m, option.list(p, 'platform'), '--platform').map((pl) => pl.name);
  const compression = option.choice(p, 'compression', ['gzip', 'zstd'] as const);
  const ctx = await cliContext(p, reporter, m);
  const r = await buildAll(ctx, m, { only: only.length ? only : undefined, platforms, compression, force: p.values.force === true, lockTimeoutSeconds: option.seconds(p, 'lock-timeout') });
  reporter.info(`DIRACOS ${m.manifest.version}: ${r.bundle.tarball} (sha256 ${r.bundle.sha256})`);
}
