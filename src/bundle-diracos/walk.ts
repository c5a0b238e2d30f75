/** A plain walk of a tree without following symlinks: every entry with its lstat. */
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { DiracosError } from '../shared/errors.js';
import { escapeBytes, isUtf8 } from '../shared/file-names.js';

export interface WalkEntry {
  /** Host path. */
  path: string;
  /** Path relative to the walked root, '/'-separated, no leading slash. */
  rel: string;
  stat: Stats;
}

/**
 * Every entry below `root` (or below `startRel` in it), depth first, names sorted. A name that is not
 * valid UTF-8 is a DiracosError naming it (its bytes escaped): node could not even stat it by name,
 * and a bundle's names are read as UTF-8 everywhere (Python, CVMFS catalogues, the tests).
 */
export function* walkTree(root: string, startRel = ''): Generator<WalkEntry> {
  const stack = [startRel];
  while (stack.length > 0) {
    const dirRel = stack.pop() as string;
    const raw = readdirSync(join(root, dirRel), { encoding: 'buffer' });
    const names = raw.map((b) => {
      const name = b.toString('utf8');
      if (!isUtf8(b)) throw new DiracosError(`${join(root, dirRel)}: the file name '${escapeBytes(b)}' is not valid UTF-8; a bundle holds UTF-8 names only`);
      return name;
    });
    names.sort();
    for (const name of names) {
      const rel = dirRel ? `${dirRel}/${name}` : name;
      const path = join(root, rel);
      const stat = lstatSync(path);
      yield { path, rel, stat };
      if (stat.isDirectory()) stack.push(rel);
    }
  }
}
