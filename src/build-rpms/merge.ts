import { join } from 'node:path';
import { readIndex, type IndexEntry } from '../repo/index-file.js';
import { repoLayout } from '../repo/layout.js';
import { lockRepository } from '../repo/lock.js';
import { Repository, type RepoOpenOptions } from '../repo/repository.js';
import type { Exec } from '../shared/exec.js';
import { DiracosError } from '../shared/errors.js';
import type { LockOptions } from '../shared/lock.js';

export interface MergeResult {
  /** Packages copied in, by source repository. */
  added: Array<{ name: string; from: string }>;
  /** Packages the target already had with the same key. */
  present: string[];
}

/**
 * Assembles shard repositories into `target`: each package a source's index lists (with its RPMs) enters
 * the target unless the target has it under the same key; then createrepo_c once per part and one index
 * write. Two sources with different keys for one package are an error naming both. Holds the target's lock.
 */
export async function mergeRepositories(
  exec: Exec,
  target: string,
  sources: readonly string[],
  arch: string,
  opts: RepoOpenOptions & Omit<LockOptions, 'what'> = {},
): Promise<MergeResult> {
  const lock = await lockRepository(target, opts);
  try {
    return await mergeLocked(exec, target, sources, arch, opts);
  } finally {
    await lock.release();
  }
}

async function mergeLocked(exec: Exec, target: string, sources: readonly string[], arch: string, opts: RepoOpenOptions): Promise<MergeResult> {
  const repo = await Repository.open(exec, target, arch, opts);
  const chosen = new Map<string, { entry: IndexEntry; from: string }>();
  for (const from of sources) {
    const index = await readIndex(repoLayout(from, arch).index);
    for (const [name, entry] of Object.entries(index.packages)) {
      const other = chosen.get(name);
      if (other && other.entry.key !== entry.key) {
        throw new DiracosError(`merging repositories: package '${name}' has key ${other.entry.key.slice(0, 12)} in ${other.from} and ${entry.key.slice(0, 12)} in ${from}`);
      }
      if (!other) chosen.set(name, { entry, from });
    }
  }
  const present: string[] = [];
  const toAdd: Array<{ name: string; from: string; entry: IndexEntry }> = [];
  for (const [name, c] of [...chosen].sort(([a], [b]) => a.localeCompare(b))) {
    if (repo.entry(name)?.key === c.entry.key) present.push(name);
    else toAdd.push({ name, ...c });
  }
  await repo.addMany(
    toAdd.map(({ name, from, entry }) => ({
      name,
      key: entry.key,
      buildOnly: entry.buildOnly,
      files: entry.rpms.map((rpm) => ({ path: join(from, rpm), part: repo.partOf(rpm) })),
    })),
  );
  return { added: toAdd.map(({ name, from }) => ({ name, from })), present };
}
