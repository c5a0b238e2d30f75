/**
 * ELF completeness: every NEEDED of every ELF of the bundle resolves inside it, or is a library the
 * hosts provide (src/rules/host-libraries.ts), or one of an ignored package (left to the host, never
 * grafted). A missing one is grafted from the build platform's root when the manifest allows it
 * (auditwheel-style: the library file, then recursively what it needs, into usr/lib64, where the
 * relocation's RPATHs find it); otherwise the stage fails listing file -> library.
 */
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { LibraryResolver } from '../elf/lddtree.js';
import type { ElfInfo } from '../elf/reader.js';
import { realpathInRoot } from '../elf/rootfs.js';
import { KERNEL_PROVIDED, type IgnoredLibrary } from '../rules/host-libraries.js';
import { DiracosError } from '../shared/errors.js';
import { GRAFT_DIR, GRAFT_SEARCH_DIRS } from './host-provides-rules.js';
import { findElfFiles, planRpaths } from './relocate.js';

export interface Grafted {
  soname: string;
  /** Root-namespace path in the build root it was copied from. */
  from: string;
  /** Bundle-relative destination. */
  to: string;
}

/** NEEDED names found nowhere in the bundle and not provided by the hosts, with the files needing them. */
export function missingLibraries(bundle: string, hostSonames: readonly string[]): Map<string, { files: string[]; info: ElfInfo }> {
  const elves = findElfFiles(bundle);
  const infoOf = new Map(elves.map((e) => [e.rel, e.info]));
  const host = new Set([...hostSonames, ...KERNEL_PROVIDED]);
  const out = new Map<string, { files: string[]; info: ElfInfo }>();
  for (const [name, files] of planRpaths(bundle, elves).external) {
    if (host.has(name) || name.includes('/')) continue;
    out.set(name, { files: [...files].sort(), info: infoOf.get(files[0]!)! });
  }
  return out;
}

/** The library `soname` in the build root, compatible with `wanted`: its real root-namespace path. */
function findInRoot(resolver: LibraryResolver, soname: string, wanted: ElfInfo): string | undefined {
  for (const dir of [...resolver.ldSoConfDirs(), ...GRAFT_SEARCH_DIRS]) {
    const path = posix.join(dir, soname);
    const info = resolver.elf(path);
    if (info && info.elfClass === wanted.elfClass && info.machine === wanted.machine) return path;
  }
  return undefined;
}

export interface Completeness {
  grafted: Grafted[];
  /** Libraries of ignored packages the bundle needs: left to the host (hostLibraries.txt), sorted. */
  leftToHost: IgnoredLibrary[];
}

/**
 * Grafts (when `graft`) until nothing is missing; throws a DiracosError listing every file -> library
 * that cannot be satisfied. A library of an ignored package (`ignored`: soname -> package) is never
 * grafted: it is left to the host, and returned as such when some ELF needs it.
 */
export function completeLibraries(
  bundle: string,
  o: { hostSonames: readonly string[]; ignored?: ReadonlyMap<string, string>; graft: boolean; buildRoot: string; buildRootName?: string },
): Completeness {
  const grafted: Grafted[] = [];
  const resolver = new LibraryResolver(o.buildRoot);
  const unavailable = new Set<string>();
  const ignored = o.ignored ?? new Map<string, string>();
  const leftToHost = new Map<string, string>();
  for (;;) {
    const missing = [...missingLibraries(bundle, o.hostSonames)].filter(([name]) => {
      const pkg = ignored.get(name);
      if (pkg !== undefined) leftToHost.set(name, pkg);
      return pkg === undefined && !unavailable.has(name);
    });
    if (missing.length === 0 || !o.graft) {
      if (!o.graft) for (const [name] of missing) unavailable.add(name);
      break;
    }
    for (const [soname, { info }] of missing) {
      const from = findInRoot(resolver, soname, info);
      if (!from) {
        unavailable.add(soname);
        continue;
      }
      const to = posix.join(GRAFT_DIR, soname);
      mkdirSync(join(bundle, GRAFT_DIR), { recursive: true });
      const real = realpathInRoot(o.buildRoot, from) ?? from;
      copyFileSync(join(o.buildRoot, real), join(bundle, to));
      chmodSync(join(bundle, to), 0o755);
      grafted.push({ soname, from: real, to });
    }
  }
  if (unavailable.size > 0) {
    const all = missingLibraries(bundle, [...o.hostSonames, ...ignored.keys()]);
    const lines = [...unavailable]
      .sort()
      .flatMap((name) => (all.get(name)?.files ?? []).map((f) => `  /${f} -> ${name}`));
    const where = o.graft ? ` (not in the bundle, not provided by the hosts, not found in ${o.buildRootName ?? o.buildRoot} to graft)` : ' (set bundle.graftLibraries to copy them from the build platform)';
    throw new DiracosError(`bundle-diracos: libraries missing from the bundle${where}:\n${lines.join('\n')}`);
  }
  return {
    grafted: grafted.sort((a, b) => a.soname.localeCompare(b.soname)),
    leftToHost: [...leftToHost].map(([soname, pkg]) => ({ soname, package: pkg })).sort((a, b) => a.soname.localeCompare(b.soname)),
  };
}
