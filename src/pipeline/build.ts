import { join } from 'node:path';
import { bootstrapPython, packagesWithPython } from '../bootstrap-python/index.js';
import { buildRpms } from '../build-rpms/index.js';
import { bundleDiracos } from '../bundle-diracos/index.js';
import type { LoadedManifest } from '../manifest/load.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';
import { testPlatforms } from '../test-platforms/index.js';
import {
  bundleTable,
  pythonTable,
  requiredFailures,
  type BundleResult,
  type PlatformsResult,
  type PythonResult,
  type RpmsResult,
} from './summaries.js';
import { bundleArtifactName } from './tarball.js';

export interface BuildAllOptions {
  /** Packages to build (default all); the bundle takes whatever the repository holds. */
  only?: string[];
  /** Platforms to test (default all). */
  platforms?: string[];
  compression?: 'gzip' | 'zstd';
  /** Make the tarball and test every platform even when their inputs did not change. */
  force?: boolean;
  /** How long to wait for another run holding the work folder or the repository (see LockWait). */
  lockTimeoutSeconds?: number;
}

export interface BuildAllResult {
  python: PythonResult;
  rpms: RpmsResult;
  bundle: BundleResult;
  artifact: string;
  tests: PlatformsResult;
}

/**
 * Every stage in order, as the workflow runs the four actions: Python first (all packages
 * build against it), then the packages, the tarball (stored as the artifact test-platforms
 * would download), and the platform tests. Fails when a required platform fails.
 */
export async function buildAll(ctx: Context, m: LoadedManifest, opts: BuildAllOptions = {}): Promise<BuildAllResult> {
  const { reporter } = ctx;
  const python = await reporter.group('bootstrap-python', () => bootstrapPython(ctx, m, { lockTimeoutSeconds: opts.lockTimeoutSeconds }));
  reporter.table(pythonTable(python));
  const packages = await packagesWithPython(ctx, m);
  const rpms = await reporter.group('build-rpms', () => buildRpms(ctx, m, { packages, only: opts.only, lockTimeoutSeconds: opts.lockTimeoutSeconds }));
  const outDir = join(ctx.workdir, 'bundle-diracos', 'out');
  const bundle = await reporter.group('bundle-diracos', () => bundleDiracos(ctx, m, { outDir, compression: opts.compression, force: opts.force }));
  const artifact = await ctx.artifacts.upload(bundleArtifactName(m), bundle.files, outDir);
  reporter.table(bundleTable(bundle, artifact));
  const tests = await reporter.group('test-platforms', () =>
    testPlatforms(ctx, m, { tarball: bundle.tarball, platforms: opts.platforms, outDir: join(ctx.workdir, 'test-platforms', 'out'), force: opts.force }),
  );
  const failure = requiredFailures(tests);
  if (failure) throw new DiracosError(failure);
  return { python, rpms, bundle, artifact, tests };
}
