/**
 * A path's symlinks resolved one component at a time, as the kernel does, over any source of links:
 * a folder seen as `/` (elf/rootfs.ts) or the links a set of RPM payloads will create
 * (bundle-diracos/extract.ts).
 */

/** The kernel's own limit of links followed for one path (ELOOP). */
export const MAX_SYMLINKS = 40;

/** The link at `parts` (relative to the root): its target, undefined when it is no link, null when nothing is there. */
export type LinkAt = (parts: readonly string[]) => string | undefined | null;

export type LinkWalk =
  | { ok: true; parts: string[] }
  | { ok: false; why: 'missing' | 'loop' | 'above-root' | 'absolute'; at: string[]; target?: string };

export interface LinkWalkOptions {
  /** An absolute target: starts again at the root (a chroot), or ends the walk (it leads out). */
  absolute: 'restart' | 'stop';
  /** `..` at the root: stays there (a chroot), or ends the walk (it climbs out). */
  aboveRoot: 'stay' | 'stop';
}

/** Resolves every symlink of the root-relative `path`; `ok` with the real path's components, else why and where it stopped. */
export function walkLinks(path: string, linkAt: LinkAt, opts: LinkWalkOptions): LinkWalk {
  const pending = path.split('/').filter(Boolean);
  const done: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '.') continue;
    if (part === '..') {
      if (done.length === 0 && opts.aboveRoot === 'stop') return { ok: false, why: 'above-root', at: [] };
      done.pop();
      continue;
    }
    const at = [...done, part];
    const target = linkAt(at);
    if (target === null) return { ok: false, why: 'missing', at };
    if (target === undefined) {
      done.push(part);
      continue;
    }
    const absolute = target.startsWith('/');
    if (absolute && opts.absolute === 'stop') return { ok: false, why: 'absolute', at, target };
    if (++hops > MAX_SYMLINKS) return { ok: false, why: 'loop', at };
    pending.unshift(...target.split('/').filter(Boolean));
    if (absolute) done.length = 0;
  }
  return { ok: true, parts: done };
}
