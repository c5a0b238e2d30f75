/** Paths inside a root directory seen as `/` (chroot semantics, without chroot). */
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join, posix } from 'node:path';
import { globToRegExp, isGlob } from '../shared/glob.js';
import { walkLinks } from '../shared/link-walk.js';

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
  const linkAt = (parts: readonly string[]): string | undefined | null => {
    const host = join(root, ...parts);
    try {
      return lstatSync(host).isSymbolicLink() ? readlinkSync(host) : undefined;
    } catch {
      return null;
    }
  };
  const walked = walkLinks(rootPath, linkAt, { absolute: 'restart', aboveRoot: 'stay' });
  return walked.ok ? '/' + walked.parts.join('/') : undefined;
}

/** Lexically normalised root-namespace path ('..' cannot climb above '/'). */
export function normalizeRootPath(p: string): string {
  return posix.normalize(posix.join('/', p));
}

/** Expands a glob (shared/glob.ts) in the last component of a path (ld.so.conf `include`). */
export function globInRoot(root: string, pattern: string): string[] {
  const dir = posix.dirname(pattern);
  const base = posix.basename(pattern);
  if (!isGlob(base)) return [pattern];
  const re = globToRegExp(base);
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
