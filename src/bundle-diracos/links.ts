/**
 * The link pass over a bundle tree, so that it survives being moved and published on CVMFS:
 *  - a symlink whose target leaves the tree (absolute, or `..` past the top) is re-pointed with a
 *    relative target when that target exists inside the bundle (/usr/lib/x -> ../../usr/lib/x);
 *  - otherwise it is replaced by a copy of the target taken from the build platform's root, when the
 *    link policy allows it (src/rules/link-policy.ts: nothing private, volatile or too large);
 *  - otherwise it is removed and listed in brokenLinks.txt, with the reason in the result;
 *  - symlinks that stay inside the tree are left untouched;
 *  - every hard link becomes an independent copy (CVMFS has no cross-directory hard links).
 */
import { copyFileSync, cpSync, existsSync, lstatSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { forbiddenMode, forbiddenTarget, LINK_COPY_POLICY } from '../rules/link-policy.js';
import { dirname, join, posix } from 'node:path';
import { realpathInRoot } from '../elf/rootfs.js';
import { walkTree } from './walk.js';

export type LinkAction = 'kept' | 'repointed' | 'copied' | 'removed';

export interface LinkPassResult {
  repointed: string[];
  copied: string[];
  /** Links removed: "path -> target", as in brokenLinks.txt. */
  broken: string[];
  /** Why each of `broken` was removed (keyed by its line). */
  why: Record<string, string>;
  /** Files that were hard links and are now independent copies. */
  hardLinksSplit: string[];
}

export interface LinkPassOptions {
  /** Where targets missing from the bundle are copied from: the build platform's root filesystem. */
  buildRoot: string;
  /** Where to write the list of removed links (atomically); nothing written when omitted. */
  brokenLinksFile?: string;
}

/**
 * Where a symlink at bundle-relative `rel` points, as a root-namespace path, and whether the raw
 * target leaves the tree (absolute, or a `..` climbing above the top).
 */
export function linkTarget(rel: string, target: string): { rootPath: string; leaves: boolean } {
  if (target.startsWith('/')) return { rootPath: posix.normalize(target), leaves: true };
  const joined = posix.join(posix.dirname(`/${rel}`), target);
  // posix.join clamps at '/', so count the climb ourselves.
  let depth = rel.split('/').length - 1;
  let leaves = false;
  for (const part of target.split('/')) {
    if (part === '..') depth--;
    else if (part && part !== '.') depth++;
    if (depth < 0) leaves = true;
  }
  return { rootPath: posix.normalize(joined), leaves };
}

/** Replace `path` atomically: build the new entry next to it, then rename over it. */
function replaceWith(path: string, make: (tmp: string) => void): void {
  const tmp = join(dirname(path), `.diracos-tmp-${process.pid}-${posix.basename(path)}`);
  rmSync(tmp, { recursive: true, force: true });
  make(tmp);
  if (lstatSync(tmp).isDirectory()) rmSync(path, { force: true }); // rename cannot put a dir over a symlink
  renameSync(tmp, path);
}

/**
 * Why the build root's `source` (the real path of the link target `rootPath`) may not be copied into
 * the bundle, or undefined: the policy's names, then every entry's mode, then the total size.
 */
export function refusedCopy(buildRoot: string, rootPath: string, source: string): string | undefined {
  const byName = forbiddenTarget(rootPath) ?? forbiddenTarget(source);
  if (byName) return byName;
  let bytes = 0;
  const entry = (rootRel: string, st: Stats): string | undefined => {
    if (st.isSymbolicLink()) return undefined; // copied as a link, then passed through this pass again
    const named = forbiddenTarget(rootRel);
    if (named) return `${rootRel}: ${named}`;
    if (!st.isFile() && !st.isDirectory()) return `${rootRel}: not a regular file or directory`;
    const mode = forbiddenMode(st.mode, st.isDirectory());
    if (mode) return `${rootRel}: ${mode}`;
    bytes += st.isFile() ? st.size : 0;
    return bytes > LINK_COPY_POLICY.maxBytes ? `more than ${LINK_COPY_POLICY.maxBytes >> 20} MiB` : undefined;
  };
  const top = lstatSync(join(buildRoot, source));
  const reason = entry(source, top);
  if (reason || !top.isDirectory()) return reason;
  for (const e of walkTree(join(buildRoot, source))) {
    const inner = entry(posix.join(source, e.rel), e.stat);
    if (inner) return inner;
  }
  return undefined;
}

export function linkPass(bundle: string, options: LinkPassOptions): LinkPassResult {
  const result: LinkPassResult = { repointed: [], copied: [], broken: [], why: {}, hardLinksSplit: [] };
  const pending = [''];
  while (pending.length > 0) {
    const start = pending.pop() as string;
    for (const entry of walkTree(bundle, start)) {
      const { path, rel, stat } = entry;
      if (stat.isSymbolicLink()) {
        const target = readlinkSync(path);
        const { rootPath, leaves } = linkTarget(rel, target);
        if (!leaves) continue;
        if (realpathInRoot(bundle, rootPath) !== undefined) {
          const relTarget = posix.relative(posix.dirname(`/${rel}`), rootPath) || '.';
          replaceWith(path, (tmp) => symlinkSync(relTarget, tmp));
          result.repointed.push(rel);
          continue;
        }
        const source = realpathInRoot(options.buildRoot, rootPath);
        const sourceHost = source === undefined ? undefined : join(options.buildRoot, source);
        const refused = sourceHost && existsSync(sourceHost) ? refusedCopy(options.buildRoot, rootPath, source!) : 'not on the build platform';
        if (refused === undefined && sourceHost) {
          const isDir = statSync(sourceHost).isDirectory();
          replaceWith(path, (tmp) =>
            isDir ? cpSync(sourceHost, tmp, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true }) : copyFileSync(sourceHost, tmp),
          );
          result.copied.push(rel);
          // A copied directory may hold links of its own: walk it too.
          if (isDir) pending.push(rel);
          continue;
        }
        unlinkSync(path);
        result.broken.push(`${rel} -> ${target}`);
        result.why[`${rel} -> ${target}`] = refused ?? 'not on the build platform';
      } else if (stat.isFile() && stat.nlink > 1) {
        // copyFile gives a new inode; the rename drops this name's share of the old one.
        replaceWith(path, (tmp) => copyFileSync(path, tmp));
        result.hardLinksSplit.push(rel);
      }
    }
  }
  if (options.brokenLinksFile) {
    const tmp = `${options.brokenLinksFile}.tmp-${process.pid}`;
    writeFileSync(tmp, result.broken.map((b) => `${b}\n`).join(''));
    renameSync(tmp, options.brokenLinksFile);
  }
  return result;
}
