import { packagesWithPython } from '../../bootstrap-python/package.js';
import { buildRpms } from '../../build-rpms/index.js';
import { checkPackageNames } from '../../pipeline/shards.js';
import type { Reporter } from '../../reporting/reporter.js';
import { option, type Parsed } from '../args.js';
import { cliContext, cliManifest } from '../start.js';

export async function run(p: Parsed, reporter: Reporter): Promise<void> {
  const m = cliManifest(p, reporter);
  const only = checkPackageNames(option.list(p, 'only'), '--only', m);
  const ctx = await cliContext(p, reporter, m);
  const packages = await packagesWithPython(ctx, m);
  const r = await reporter.group('build-rpms', () =>
    buildRpms(ctx, m, { packages, only: only.length ? only : undefined, lockTimeoutSeconds: option.seconds(p, 'lock-timeout') }),
  );
  reporter.info(`repository: ${r.repository}`);
}
