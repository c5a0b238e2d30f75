import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildOptions } from '../../build-rpms/index.js';
import type { LoadedManifest } from '../../manifest/load.js';
import { restoreRepository, saveRepository } from '../../pipeline/repo-cache.js';
import type { Context } from '../../shared/context.js';
import { inputs } from './inputs.js';

/**
 * Runs a build (bootstrap-python, build-rpms) with the repository restored from the GitHub cache once
 * the package keys are known and saved after a complete build; on failure every package log is
 * uploaded as an artifact (the error itself already shows the failing log's tail).
 */
export async function cachedBuild<T>(
  ctx: Context,
  m: LoadedManifest,
  opts: { save: boolean },
  build: (beforeBuild: NonNullable<BuildOptions['beforeBuild']>) => Promise<T>,
): Promise<T> {
  const useCache = inputs.boolean('cache', true);
  let cached: { key: string; hit: string } | undefined;
  try {
    const result = await build(async (plan) => {
      if (useCache) cached = await restoreRepository(ctx, m, plan);
    });
    if (cached && opts.save) await saveRepository(ctx, m, cached);
    return result;
  } catch (e) {
    await uploadLogs(ctx);
    throw e;
  }
}

async function uploadLogs(ctx: Context): Promise<void> {
  const dir = join(ctx.workdir, 'build-rpms', 'logs');
  const logs = await readdir(dir).catch(() => [] as string[]);
  if (logs.length === 0) return;
  const where = await ctx.artifacts.upload(`diracos-build-logs-${process.env.GITHUB_JOB ?? 'local'}-${process.env.GITHUB_RUN_ATTEMPT ?? '1'}`, logs.map((l) => join(dir, l)), dir);
  ctx.reporter.info(`build logs uploaded: ${where}`);
}
