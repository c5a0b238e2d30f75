/**
 * Where a manifest's input paths may lead. Everything the build reads from a path of the manifest
 * (specs, patches, path sources, pip files and folders, the test script) must stay, symlinks resolved,
 * in the manifest's folder or in a folder its `allowPathsOutside` names: a manifest cannot pull
 * /etc/passwd or a file beside the checkout into a source RPM or the bundle by accident.
 */
import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readlinkSync, readSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, posix, relative, resolve as resolvePath, sep } from 'node:path';

/** The folders input paths may lead into, symlinks resolved. */
export interface PathRoots {
  /** The manifest's folder. */
  base: string;
  /** The allowPathsOutside folders. */
  allowed: string[];
}

export function pathRoots(base: string, allowPathsOutside: readonly string[] = []): PathRoots {
  return { base: realPath(base), allowed: allowPathsOutside.map((d) => realPath(resolvePath(base, d))) };
}

/**
 * The real location of an absolute path: symlinks resolved as far as the path exists, the missing
 * rest appended (a dangling symlink is followed to where it points).
 */
export function realPath(abs: string, hops = 0): string {
  try {
    return realpathSync(abs);
  } catch {
    // resolved below, one component at a time
  }
  const parent = dirname(abs);
  if (parent === abs) return abs;
  const here = resolvePath(realPath(parent, hops), basename(abs));
  let link: string | undefined;
  try {
    if (lstatSync(here).isSymbolicLink()) link = readlinkSync(here);
  } catch {
    // does not exist: nothing to follow
  }
  return link !== undefined && hops < 40 ? realPath(resolvePath(dirname(here), link), hops + 1) : here;
}

/** Whether `child` is `parent` or lies under it (both absolute and normalized). */
export function within(child: string, parent: string): boolean {
  const r = relative(parent, child);
  return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
}

/**
 * Why the path `written` (relative to the manifest's folder, or absolute) leads out of the allowed
 * folders, or undefined when it stays in.
 */
export function escapeOf(written: string, roots: PathRoots): string | undefined {
  const lexical = resolvePath(roots.base, written);
  const real = realPath(lexical);
  if ([roots.base, ...roots.allowed].some((root) => within(real, root))) return undefined;
  const how = within(lexical, roots.base) ? `leads out of the manifest's folder through a symlink (to ${real})` : `is outside the manifest's folder (${real})`;
  return `'${written}' ${how}; list a folder holding it in allowPathsOutside to allow it`;
}

/** A pip requirement that is a local path (./x, ../x, /x, or a file that ends like a wheel/sdist), as pip.ts installs it. */
export function isLocalRequirement(req: string): boolean {
  return /^(\.{1,2}\/|\/)/.test(req) || /\.(whl|tar\.gz|zip|tar\.bz2)$/.test(req);
}

/**
 * The manifest path a pip argument (find-links entry, index URL, requirement) reads, if it reads one.
 * pip runs on the build platform: only relative paths are the manifest's (staged into the pip
 * container); absolute paths and file: URLs name the build platform's own files, not this machine's.
 */
export function pipLocalPath(value: string, kind: 'findLinks' | 'indexUrl' | 'requirement' | 'requirementsFile'): string | undefined {
  if (isPipUrl(value)) return undefined;
  if (kind === 'indexUrl' || isAbsolute(value)) return undefined;
  return kind === 'findLinks' || kind === 'requirementsFile' || isLocalRequirement(value) ? value : undefined;
}

/** A pip argument that is a URL (`https://...`, `git+https://...`, `file:...`, `name @ file:...`), not a path. */
export function isPipUrl(value: string): boolean {
  return /^(?:[^\s@]+\s*@\s*)?file:/.test(value) || /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
}

/** sha256 of a file, read in bounded chunks (validation is synchronous). */
export function sha256FileSync(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * The bundle path a `tests.knownBrokenLinks` entry names: a path inside the bundle (`usr/lib/x`,
 * `/usr/lib/x`) or a whole line of brokenLinks.txt (`usr/lib/x -> /target`); undefined when it leaves
 * the bundle or names its root.
 */
export function knownLinkPath(entry: string): string | undefined {
  const path = posix.normalize(entry.split(' -> ')[0]!.trim().replace(/^\/+/, ''));
  return path === '.' || path === '' || path === '..' || path.startsWith('../') ? undefined : path.replace(/\/+$/, '');
}
