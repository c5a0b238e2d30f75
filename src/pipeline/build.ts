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
  mebibytes,
  pipelineTable,
  pythonTable,
  requiredFailures,
  type BundleResult,
  type PipelineStage,
  type PlatformsResult,
  type PythonResult,
  type RpmsResult,
  type StageOutcome,
} from './summaries.js';
import { bundleArtifactName } from './bundle-artifact.js';

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
 * would download), and the platform tests. Fails when a required platform fails. Whether it
 * succeeds or fails, a table says what each stage did (and which never ran).
 */
export async function buildAll(ctx: Context, m: LoadedManifest, opts: BuildAllOptions = {}): Promise<BuildAllResult> {
  const { reporter } = ctx;
  const outcomes = new Map<PipelineStage, StageOutcome>();
  const stage = async <T>(name: PipelineStage, fn: () => Promise<T>, detail: (r: T) => string): Promise<T> => {
    const start = process.hrtime.bigint();
    const took = () => Number(process.hrtime.bigint() - start) / 1e9;
    try {
      const r = await reporter.group(name, fn);
      outcomes.set(name, { result: 'ok', seconds: took(), detail: detail(r) });
      return r;
    } catch (e) {
      outcomes.set(name, { result: 'FAILED', seconds: took(), detail: ((e as Error)?.message ?? String(e)).split('\n')[0]! });
      throw e;
    }
  };
  try {
    const python = await stage('bootstrap-python', () => bootstrapPython(ctx, m, { lockTimeoutSeconds: opts.lockTimeoutSeconds }), (r) => `${r.rpm} (${r.cacheHit ? 'cached' : 'built'})`);
    reporter.table(pythonTable(python));
    const packages = await packagesWithPython(ctx, m);
    const rpms = await stage('build-rpms', () => buildRpms(ctx, m, { packages, only: opts.only, lockTimeoutSeconds: opts.lockTimeoutSeconds }), (r) => {
      const built = r.packages.filter((p) => p.status === 'built').length;
      return `${r.packages.length} packages (${built} built, ${r.packages.length - built} cached)`;
    });
    const outDir = join(ctx.workdir, 'bundle-diracos', 'out');
    const bundle = await stage('bundle-diracos', () => bundleDiracos(ctx, m, { outDir, compression: opts.compression, force: opts.force, lockTimeoutSeconds: opts.lockTimeoutSeconds }), (r) => `${r.tarball} (${mebibytes(r.size)}${r.cached ? ', unchanged' : ''})`);
    const artifact = await ctx.artifacts.upload(bundleArtifactName(m), bundle.files, outDir);
    reporter.table(bundleTable(bundle, artifact));
    const tests = await stage(
      'test-platforms',
      async () => {
        const r = await testPlatforms(ctx, m, { tarball: bundle.tarball, platforms: opts.platforms, outDir: join(ctx.workdir, 'test-platforms', 'out'), force: opts.force });
        const failure = requiredFailures(r);
        if (failure) throw new DiracosError(failure);
        return r;
      },
      (r) => `${r.platforms.filter((p) => p.ok).length}/${r.platforms.length} platforms passed; ${r.junit}`,
    );
    return { python, rpms, bundle, artifact, tests };
  } finally {
    reporter.table(pipelineTable(outcomes));
  }
}
