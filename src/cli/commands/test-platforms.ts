import { join } from 'node:path';
import { requiredFailures } from '../../pipeline/summaries.js';
import { selectPlatforms } from '../../manifest/select-platforms.js';
import { locateTarball } from '../../pipeline/bundle-artifact.js';
import type { Reporter } from '../../reporting/reporter.js';
import { DiracosError } from '../../shared/errors.js';
import { testPlatforms } from '../../test-platforms/index.js';
import { option, type Parsed } from '../args.js';
import { cliContext, cliManifest } from '../start.js';

export async function run(p: Parsed, reporter: Reporter): Promise<void> {
  const m = cliManifest(p, reporter);
  const platforms = selectPlatforms(m, option.list(p, 'platform'), '--platform').map((pl) => pl.name);
  const ctx = await cliContext(p, reporter, m);
  const tarball = await locateTarball(ctx, m, option.string(p, 'tarball'), '--tarball');
  const r = await reporter.group('test-platforms', () => testPlatforms(ctx, m, { tarball, platforms, outDir: join(ctx.workdir, 'test-platforms', 'out'), force: p.values.force === true }));
  reporter.info(`JUnit report: ${r.junit}`);
  const failure = requiredFailures(r);
  if (failure) throw new DiracosError(failure);
}
