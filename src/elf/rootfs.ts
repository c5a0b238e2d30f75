/** Paths inside a root directory seen as `/` (chroot semantics, without chroot). */
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join, posix } from 'node:path';

const MAX_SYMLINKS = 40; // the kernel's own limit (ELOOP)

/** The host path of a root-namespace path. */
export function hostPath(root: string, rootPath: string): string {
  return join(root, rootPath);
}

/**
 * Resolves every symlink of `rootPath` as if `root` were `/`: absolute targets restart at the
 * root and `..` stops there. Returns the root-namespace real path, or undefined when a component
 * is missing or the links loop.
 */
export function realpathInRoot(root: string, rootPath: string): string | undefined {
  const pending = rootPath.split('/').filter(Boolean);
  const done: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '.') continue;
    if (part === '..') {
      done.pop();
      continue;
    }
    const candidate = [...done, part];
    const host = join(root, ...candidate);
    let st;
    try {
      st = lstatSync(host);
    } catch {
      return undefined;
    }
    if (!st.isSymbolicLink()) {
      done.push(part);
      continue;
    }
    if (++hops > MAX_SYMLINKS) return undefined;
    const target = readlinkSync(host);
    pending.unshift(...target.split('/').filter(Boolean));
    if (target.startsWith('/')) done.length = 0;
  }
  return '/' + done.join('/');
}

/** Lexically normalised root-namespace path ('..' cannot climb above '/'). */
export function normalizeRootPath(p: string): string {
  return posix.normalize(posix.join('/', p));
}

/** Expands a shell-like pattern with * and ? in its last component (ld.so.conf `include`). */
export function globInRoot(root: string, pattern: string): string[] {
  const dir = posix.dirname(pattern);
  const base = posix.basename(pattern);
  if (!/[*?[]/.test(base)) return [pattern];
  const re = new RegExp('^' + base.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  const real = realpathInRoot(root, dir);
  if (!real) return [];
  try {
    return readdirSync(hostPath(root, real))
      .filter((n) => re.test(n))
      .sort()
      .map((n) => posix.join(dir, n));
  } catch {
    return [];
  }
}
