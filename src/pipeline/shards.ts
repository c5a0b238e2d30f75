import type { LoadedManifest } from '../manifest/load.js';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { mergeRepositories, type MergeResult } from '../build-rpms/merge.js';
import { lockStageDir } from '../build-rpms/index.js';
import { lockOptions } from '../shared/lock.js';
import { holding } from '../shared/lock.js';
import { planBuild } from '../build-rpms/plan.js';
import { repoLayout } from '../repo/layout.js';
import type { ResolvedPackage } from '../manifest/resolve.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';

/**
 * One job of a parallel build-rpms matrix: packages of one dependency level, built with `exact` (what they
 * build-require comes from earlier levels, through the repository those jobs left).
 */
export interface Shard {
  name: string;
  only: string[];
  level: number;
}

export interface ShardPlan {
  /** Every shard, in level order (`strategy.matrix: ${{ fromJSON(plan.outputs.matrix) }}`). */
  include: Shard[];
  /** The shards by level: the jobs of level n need every job of the levels before. */
  levels: Array<{ include: Shard[] }>;
}

/** Default number of jobs a level is split across. */
export const DEFAULT_SHARDS = 4;

/** Stage jobs of the reusable workflow (build-0 ... build-3): deeper levels share the last one. */
export const WORKFLOW_STAGES = 4;

/**
 * Splits dependency levels (dependencyLevels of the build graph, bootstrap packages alone in level 0)
 * into at most `count` shards per level, dealt round-robin over the level's sorted names so that
 * shards get as many packages as each other. With `stages`, levels from `stages - 1` on go into one
 * last shard (built in dependency order within it, as one job).
 */
export function planShards(levels: readonly (readonly string[])[], count = DEFAULT_SHARDS, stages = Infinity): ShardPlan {
  if (!Number.isInteger(count) || count < 1) throw new DiracosError(`shards: expected a positive integer (got ${count})`);
  if (stages < 1) throw new DiracosError(`shards: expected at least one stage (got ${stages})`);
  if (levels.length > stages) {
    const kept = planShards(levels.slice(0, stages - 1), count);
    const rest: Shard = { name: `level${stages - 1}-rest`, only: levels.slice(stages - 1).flat(), level: stages - 1 };
    return { include: [...kept.include, rest], levels: [...kept.levels, { include: [rest] }] };
  }
  const byLevel = levels.map((names, level) => {
    const n = Math.min(count, names.length);
    const shards: Shard[] = Array.from({ length: n }, (_, i) => ({ name: n === 1 ? `level${level}` : `level${level}-${i + 1}`, only: [], level }));
    [...names].sort().forEach((name, i) => shards[i % n]!.only.push(name));
    return { include: shards };
  });
  return { include: byLevel.flatMap((l) => l.include), levels: byLevel.filter((l) => l.include.length > 0) };
}

/** Checks a shard given back to build-rpms (JSON of one matrix entry); `what` names where it came from. */
export function parseShard(value: unknown, what: string, m: LoadedManifest): Shard | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const v = value as Partial<Shard>;
  if (
    typeof v !== 'object' ||
    typeof v.name !== 'string' ||
    !Array.isArray(v.only) ||
    !v.only.every((x) => typeof x === 'string') ||
    !Number.isInteger(v.level)
  ) {
    throw new DiracosError(`${what}: expected {"name": string, "only": [package names], "level": integer} (one entry of the plan's matrix)`);
  }
  const known = new Set(m.packages.map((p) => p.name));
  const unknown = v.only.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new DiracosError(`${what}: package(s) not in ${m.file}: ${unknown.join(', ')}`);
  return { name: v.name, only: v.only, level: v.level! };
}

/** Checks package names given on a command line or an input against the manifest. */
export function checkPackageNames(names: string[], what: string, m: LoadedManifest): string[] {
  const known = new Set(m.packages.map((p) => p.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new DiracosError(`${what}: package(s) not in ${m.file}: ${unknown.join(', ')}`);
  return names;
}

/** The shard plan of the packages (the manifest's, plus bootstrap-python's): plans the build, compiles nothing. */
export async function planShardsOf(ctx: Context, m: LoadedManifest, packages: ResolvedPackage[], count = DEFAULT_SHARDS, stages = Infinity): Promise<ShardPlan> {
  const plan = await holding(lockStageDir(ctx), () => planBuild(ctx, m, { packages }));
  return planShards(plan.levels, count, stages);
}

/** The shard repositories under `dir` (one per subfolder, as actions/download-artifact lays them out), merged into the manifest's. */
export async function mergeShardRepositories(ctx: Context, m: LoadedManifest, dir: string): Promise<MergeResult> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    // No shard uploaded anything (an empty plan): nothing to merge.
    if (e.code === 'ENOENT') return [];
    throw new DiracosError(`cannot read the shard repositories in '${dir}': ${e.message}`);
  });
  if (entries.length === 0) ctx.reporter.warning(`no shard repository in '${dir}': nothing merged`);
  const sources = entries.filter((e) => e.isDirectory()).map((e) => join(dir, e.name)).sort();
  for (const s of sources) {
    if (!(await stat(repoLayout(s, m.arch).index).catch(() => undefined))) throw new DiracosError(`'${s}' is not a shard repository (no ${repoLayout(s, m.arch).index})`);
  }
  ctx.tools.share(m.repository, ...sources);
  return mergeRepositories(ctx.tools.exec, m.repository, sources, m.arch, { ...lockOptions(ctx), onWarning: (message) => ctx.reporter.warning(message) });
}
