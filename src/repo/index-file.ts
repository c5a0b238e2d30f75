import { readFile } from 'node:fs/promises';
import { DiracosError } from '../shared/errors.js';
import { replaceFile } from '../shared/replace-file.js';

/** One package's record in the repository index; `rpms` are paths relative to the repository root. */
export interface IndexEntry {
  key: string;
  rpms: string[];
  buildOnly: boolean;
}

export interface RepoIndex {
  version: 1;
  packages: Record<string, IndexEntry>;
  /**
   * RPM paths a change in progress is putting in or taking out (its package's entry is already gone):
   * after an interrupted run they are removed unless an entry owns them. Absent when nothing is changing.
   */
  pending?: string[];
}

export function emptyIndex(): RepoIndex {
  return { version: 1, packages: {} };
}

export async function readIndex(file: string): Promise<RepoIndex> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyIndex();
    throw e;
  }
  let parsed: RepoIndex;
  try {
    parsed = JSON.parse(text) as RepoIndex;
  } catch (e) {
    throw new DiracosError(`the repository index is not valid JSON (${(e as Error).message}); delete it to rebuild everything`, { file });
  }
  if (parsed.version !== 1 || typeof parsed.packages !== 'object' || parsed.packages === null) {
    throw new DiracosError('the repository index has an unknown format (expected version 1)', { file });
  }
  if (parsed.pending !== undefined && !(Array.isArray(parsed.pending) && parsed.pending.every((p) => typeof p === 'string'))) {
    throw new DiracosError("the repository index has an unknown format ('pending' is not a list of paths)", { file });
  }
  return parsed;
}

/** Written to a temp file then renamed: readers see the old or the new index, never half of one. */
export async function writeIndex(file: string, index: RepoIndex): Promise<void> {
  const sorted: RepoIndex = {
    version: 1,
    packages: Object.fromEntries(Object.keys(index.packages).sort().map((k) => [k, index.packages[k]!])),
    ...(index.pending?.length ? { pending: [...new Set(index.pending)].sort() } : {}),
  };
  await replaceFile(file, JSON.stringify(sorted, null, 2) + '\n');
}
