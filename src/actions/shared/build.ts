import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BuildOptions, BuildPlan } from '../../build-rpms/index.js';
import type { LoadedManifest } from '../../manifest/load.js';
import { restoreRepository, saveRepository } from '../../pipeline/repo-cache.js';
import { mergeShardRepositories } from '../../pipeline/shards.js';
import { readIndex } from '../../repo/index-file.js';
import { repoLayout } from '../../repo/layout.js';
import type { Context } from '../../shared/context.js';
import { DiracosError } from '../../shared/errors.js';
import { inputs } from './inputs.js';
import { stageRepository } from './stage.js';

export interface BuildRunOptions {
  /** Save the repository to the cache after the build (a complete one: a shard's is partial). */
  save: boolean;
  /** Folder of shard repositories (downloaded artifacts) merged in once the cache is restored. */
  merge?: string;
  /** Build nothing: every planned package must be in the repository after restore and merge. */
  requireBuilt?: boolean;
  /** The packages a staged repository holds (default: every planned package). */
  stage?: (plan: BuildPlan) => string[];
  /** Names the build-logs artifact apart from other jobs' (e.g. the shard's name). */
  logsSuffix?: string;
}

export interface BuildRun<T> {
  result: T;
  /** The repository cache: the key this build saves under and what the restore found. */
  cache?: { key: string; hit: 'exact' | 'partial' | 'miss' };
  /** Absolute path of the staged repository (input stage-repository), else undefined. */
  staged?: string;
}

/**
 * Runs a build (bootstrap-python, build-rpms). Once the keys are known the repository is restored from
 * the cache (input cache), then the shard repositories are merged over it (they win: they are this run's),
 * then it builds; a complete build is saved. On failure every package log is uploaded as an artifact
 * (the error itself already shows the failing log's tail).
 */
export async function cachedBuild<T>(ctx: Context, m: LoadedManifest, opts: BuildRunOptions, build: (beforeBuild: NonNullable<BuildOptions['beforeBuild']>) => Promise<T>): Promise<BuildRun<T>> {
  const useCache = inputs.boolean('cache', true);
  const stageDir = inputs.string('stage-repository');
  let cached: { key: string; hit: string } | undefined;
  let plan: BuildPlan | undefined;
  try {
    const result = await build(async (p) => {
      plan = p;
      if (useCache) cached = await restoreRepository(ctx, m, p);
      if (opts.merge) {
        // beforeBuild runs while buildRpms holds the repository's lock: the merge's own take is re-entrant
        const merged = await mergeShardRepositories(ctx, m, resolve(opts.merge));
        ctx.reporter.info(`merged ${merged.added.length} package(s) from the repositories in ${opts.merge} (${merged.present.length} already present)`);
      }
      if (opts.requireBuilt) await assertAllBuilt(m, p, opts.merge);
    });
    if (cached && opts.save) await saveRepository(ctx, m, cached);
    const staged = stageDir && plan ? await stageRepository(ctx, m, opts.stage ? opts.stage(plan) : plan.order, stageDir) : undefined;
    const cache = cached ? { key: cached.key, hit: cached.hit === cached.key ? ('exact' as const) : cached.hit ? ('partial' as const) : ('miss' as const) } : undefined;
    return { result, cache, staged };
  } catch (e) {
    await uploadLogs(ctx, opts.logsSuffix);
    throw e;
  }
}

/** With require-built: what was planned must already be there; a gap means a job's artifact is missing. */
async function assertAllBuilt(m: LoadedManifest, plan: BuildPlan, merged: string | undefined): Promise<void> {
  const index = await readIndex(repoLayout(m.repository, m.arch).index);
  const missing = plan.order.filter((name) => index.packages[name]?.key !== plan.keys.get(name));
  if (missing.length === 0) return;
  throw new DiracosError(
    `build-rpms (require-built): ${missing.length} package(s) are not in the repository with their current key` +
      `${merged ? ` after merging the repositories in ${merged}` : ''}: ${missing.join(', ')}. ` +
      'The jobs that build them failed or did not upload their repository (a missing or misnamed artifact).',
    { file: m.file },
  );
}

/** The build-logs artifact: input logs-artifact, else unique per job, shard and run attempt. */
export function logsArtifactName(suffix?: string, env: NodeJS.ProcessEnv = process.env): string {
  const given = inputs.string('logs-artifact');
  if (given) return given;
  const parts = ['diracos-build-logs', env.GITHUB_JOB || 'local', suffix, `attempt${env.GITHUB_RUN_ATTEMPT || '1'}`];
  return parts.filter(Boolean).join('-').replace(/[^A-Za-z0-9._+-]/g, '_');
}

async function uploadLogs(ctx: Context, suffix?: string): Promise<void> {
  const dir = join(ctx.workdir, 'build-rpms', 'logs');
  const logs = await readdir(dir).catch(() => [] as string[]);
  if (logs.length === 0) return;
  const name = logsArtifactName(suffix);
  try {
    const where = await ctx.artifacts.upload(name, logs.map((l) => join(dir, l)), dir);
    ctx.reporter.info(`build logs uploaded as artifact '${name}' (${where})`);
  } catch (e) {
    // The build's own error is the one to show; this one is reported beside it.
    ctx.reporter.error(`build logs: uploading artifact '${name}' failed: ${(e as Error).message}`);
  }
}
