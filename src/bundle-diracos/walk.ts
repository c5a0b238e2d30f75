/** A plain walk of a tree without following symlinks: every entry with its lstat. */
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';

export interface WalkEntry {
  /** Host path. */
  path: string;
  /** Path relative to the walked root, '/'-separated, no leading slash. */
  rel: string;
  stat: Stats;
}

export function* walkTree(root: string, startRel = ''): Generator<WalkEntry> {
  const stack = [startRel];
  while (stack.length > 0) {
    const dirRel = stack.pop() as string;
    const names = readdirSync(join(root, dirRel)).sort();
    for (const name of names) {
      const rel = dirRel ? `${dirRel}/${name}` : name;
      const path = join(root, rel);
      const stat = lstatSync(path);
      yield { path, rel, stat };
      if (stat.isDirectory()) stack.push(rel);
    }
  }
}
