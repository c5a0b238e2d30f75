import type { LoadedManifest } from '../manifest/load.js';
import { DiracosError } from '../shared/errors.js';

/** One job of a parallel build-rpms matrix: the packages it builds. */
export interface Shard {
  name: string;
  only: string[];
}

/**
 * The shard matrix of a manifest (`strategy.matrix: ${{ fromJSON(plan.outputs.matrix) }}`):
 * one shard per package group, each led by the bootstrap groups' packages (which nothing
 * build-requires by name, yet every build may need). buildRpms builds `only` with what it
 * build-requires, so a shard is complete on its own; a dependency shared by several shards
 * is built by each (same key, same RPMs) unless the repository cache already has it.
 */
export function planShards(m: LoadedManifest): { include: Shard[] } {
  const bootstrap = m.packages.filter((p) => p.bootstrap).map((p) => p.name);
  const groups = new Map<string, string[]>();
  for (const p of m.packages) {
    if (p.bootstrap) continue;
    groups.set(p.group, [...(groups.get(p.group) ?? []), p.name]);
  }
  const include = [...groups].map(([name, names]) => ({ name, only: [...bootstrap, ...names] }));
  // A manifest of bootstrap groups only still needs one job.
  if (include.length === 0 && bootstrap.length > 0) include.push({ name: 'bootstrap', only: bootstrap });
  return { include };
}

/** Checks a shard given back to build-rpms (JSON of one matrix entry); `what` names where it came from. */
export function parseShard(value: unknown, what: string, m: LoadedManifest): Shard | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const v = value as Partial<Shard>;
  if (typeof v !== 'object' || typeof v.name !== 'string' || !Array.isArray(v.only) || !v.only.every((x) => typeof x === 'string')) {
    throw new DiracosError(`${what}: expected {"name": string, "only": [package names]} (one entry of the plan's matrix)`);
  }
  const known = new Set(m.packages.map((p) => p.name));
  const unknown = v.only.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new DiracosError(`${what}: package(s) not in ${m.file}: ${unknown.join(', ')}`);
  return { name: v.name, only: v.only };
}

/** Checks package names given on a command line or an input against the manifest. */
export function checkPackageNames(names: string[], what: string, m: LoadedManifest): string[] {
  const known = new Set(m.packages.map((p) => p.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new DiracosError(`${what}: package(s) not in ${m.file}: ${unknown.join(', ')}`);
  return names;
}
