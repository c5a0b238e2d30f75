import type { BuildPlan } from '../build-rpms/plan.js';
import type { LoadedManifest } from '../manifest/load.js';
import type { Context } from '../shared/context.js';
import { sha256Object } from '../shared/hash.js';

/**
 * The RPM repository between workflow runs: ONE cache entry keyed by every package's content key
 * (so any change makes a new entry), restored by prefix when there is no exact hit: a partial hit
 * brings every package whose key did not change, and only the rest is rebuilt.
 * One entry rather than one per package: a restore is one download, and the engine already skips by key.
 */
export function repoCachePrefix(m: LoadedManifest): string {
  return `diracos-rpms-${m.manifest.version}-${m.arch}-`;
}

/** Keyed by the packages this build selects (all, or e.g. Python and what it needs): what the saved repository holds. */
export function repoCacheKey(m: LoadedManifest, plan: Pick<BuildPlan, 'keys' | 'order'>): string {
  const keys = Object.fromEntries([...plan.order].sort().map((name) => [name, plan.keys.get(name)]));
  return repoCachePrefix(m) + sha256Object(keys).slice(0, 32);
}

/** Restores the repository; returns the key hit ('' for none) and the exact key to save under. */
export async function restoreRepository(ctx: Pick<Context, 'cache' | 'reporter'>, m: LoadedManifest, plan: Pick<BuildPlan, 'keys' | 'order'>): Promise<{ key: string; hit: string }> {
  const key = repoCacheKey(m, plan);
  const hit = (await ctx.cache.restore([m.repository], key, [repoCachePrefix(m), `diracos-rpms-`])) ?? '';
  ctx.reporter.info(hit === key ? `repository cache: exact hit ${key}` : hit ? `repository cache: partial hit ${hit}` : `repository cache: miss for ${key}`);
  return { key, hit };
}

/** Saves the repository under its exact key unless that entry exists already. */
export async function saveRepository(ctx: Pick<Context, 'cache'>, m: LoadedManifest, cached: { key: string; hit: string }): Promise<void> {
  if (cached.hit !== cached.key) await ctx.cache.save([m.repository], cached.key);
}
