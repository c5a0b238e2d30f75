/**
 * Resolves DT_NEEDED the way ld.so would, inside a root directory (like auditwheel's / pax-utils'
 * lddtree): DT_RPATH of the object and its loaders (only when the object has no DT_RUNPATH),
 * DT_RUNPATH, the root's ld.so.conf directories, then the default directories. $ORIGIN, $LIB and
 * $PLATFORM are expanded; candidates of another class or machine are skipped, as ld.so does.
 */
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { isElfFile, readElf, type ElfInfo } from './reader.js';
import { globInRoot, hostPath, normalizeRootPath, realpathInRoot } from './rootfs.js';

/** Default library directories after ld.so.conf, per ELF class; multiarch ones come from MULTIARCH. */
const DEFAULT_DIRS: Readonly<Record<32 | 64, readonly string[]>> = {
  64: ['/lib64', '/usr/lib64', '/lib', '/usr/lib'],
  32: ['/lib', '/usr/lib'],
};

/** Debian-style multiarch triplet per e_machine (searched as /lib/<triplet> and /usr/lib/<triplet>). */
const MULTIARCH: Readonly<Record<number, string>> = {
  62: 'x86_64-linux-gnu',
  183: 'aarch64-linux-gnu',
  3: 'i386-linux-gnu',
  21: 'powerpc64le-linux-gnu',
};

/** What $LIB and $PLATFORM expand to, per class and machine. */
const LIB_TOKEN: Readonly<Record<32 | 64, string>> = { 64: 'lib64', 32: 'lib' };
const PLATFORM_TOKEN: Readonly<Record<number, string>> = { 62: 'x86_64', 183: 'aarch64', 3: 'i686' };

export type FoundVia = 'rpath' | 'runpath' | 'ld.so.conf' | 'default';

export interface NeededLib {
  name: string;
  /** Root-namespace path where it was found (as searched, not symlink-resolved), if found. */
  path?: string;
  /** Root-namespace real path (symlinks resolved inside the root). */
  realPath?: string;
  via?: FoundVia;
}

export interface ElfNode {
  /** Root-namespace path. */
  path: string;
  info: ElfInfo;
  needed: NeededLib[];
}

export interface Tree {
  top: ElfNode;
  /** Every library of the closure by name, first resolution wins (as in ld.so's link map). */
  libs: Map<string, NeededLib>;
  /** Names of libraries found nowhere. */
  missing: string[];
}

export interface ResolverOptions {
  /** Read <root>/etc/ld.so.conf (default true). */
  ldSoConf?: boolean;
  /** Extra directories searched after ld.so.conf, before the defaults (root-namespace). */
  extraDirs?: string[];
}

export class LibraryResolver {
  private readonly infos = new Map<string, ElfInfo | null>();
  private confDirs?: string[];

  constructor(
    readonly root: string,
    private readonly options: ResolverOptions = {},
  ) {}

  /** Parsed ELF at a root-namespace path (cached by real path); null when not an ELF. */
  elf(rootPath: string): ElfInfo | null {
    const real = realpathInRoot(this.root, rootPath);
    if (!real) return null;
    let info = this.infos.get(real);
    if (info === undefined) {
      const host = hostPath(this.root, real);
      info = isElfFile(host) ? readElf(host) : null;
      this.infos.set(real, info);
    }
    return info;
  }

  /** The root's ld.so.conf directories, includes expanded (root-namespace). */
  ldSoConfDirs(): string[] {
    if (this.confDirs) return this.confDirs;
    const dirs: string[] = [];
    const seen = new Set<string>();
    const readConf = (file: string, depth: number) => {
      if (depth > 8 || seen.has(file)) return;
      seen.add(file);
      const real = realpathInRoot(this.root, file);
      if (!real) return;
      let text: string;
      try {
        text = readFileSync(hostPath(this.root, real), 'utf8');
      } catch {
        return;
      }
      for (const raw of text.split('\n')) {
        const line = raw.replace(/#.*/, '').trim();
        if (!line || line.startsWith('hwcap')) continue;
        const inc = /^include\s+(.+)$/.exec(line);
        if (inc) {
          for (const pat of inc[1].split(/\s+/)) {
            const abs = pat.startsWith('/') ? pat : posix.join(posix.dirname(file), pat);
            for (const f of globInRoot(this.root, abs)) readConf(f, depth + 1);
          }
        } else {
          for (const d of line.split(/[:,\s]+/).filter(Boolean)) dirs.push(normalizeRootPath(d));
        }
      }
    };
    if (this.options.ldSoConf ?? true) readConf('/etc/ld.so.conf', 0);
    this.confDirs = dirs;
    return dirs;
  }

  /** Expands $ORIGIN, $LIB, $PLATFORM in one RPATH/RUNPATH list; empty entries mean the current dir, dropped. */
  expand(list: string, origin: string, info: ElfInfo): string[] {
    return list
      .split(':')
      .filter(Boolean)
      .map((d) =>
        d
          .replace(/\$(?:\{ORIGIN\}|ORIGIN(?![A-Za-z0-9_]))/g, origin)
          .replace(/\$(?:\{LIB\}|LIB(?![A-Za-z0-9_]))/g, LIB_TOKEN[info.elfClass])
          .replace(/\$(?:\{PLATFORM\}|PLATFORM(?![A-Za-z0-9_]))/g, PLATFORM_TOKEN[info.machine] ?? ''),
      )
      .map(normalizeRootPath);
  }

  private compatible(candidate: ElfInfo, wanted: ElfInfo): boolean {
    return candidate.elfClass === wanted.elfClass && candidate.machine === wanted.machine && candidate.endian === wanted.endian;
  }

  private search(name: string, dirs: Array<[string, FoundVia]>, wanted: ElfInfo): NeededLib {
    // A NEEDED containing a slash is a path, used as is.
    if (name.includes('/')) {
      const p = normalizeRootPath(name);
      const info = this.elf(p);
      return info && this.compatible(info, wanted) ? { name, path: p, realPath: realpathInRoot(this.root, p), via: 'default' } : { name };
    }
    for (const [dir, via] of dirs) {
      const p = posix.join(dir, name);
      const info = this.elf(p);
      if (info && this.compatible(info, wanted)) return { name, path: p, realPath: realpathInRoot(this.root, p), via };
    }
    return { name };
  }

  /**
   * Resolves the NEEDED entries of one object. `loaderRpaths` are the expanded DT_RPATHs of the
   * objects that loaded it (ld.so searches them too, when the object has no DT_RUNPATH).
   */
  resolve(rootPath: string, loaderRpaths: string[] = []): { node: ElfNode; rpaths: string[] } {
    const info = this.elf(rootPath);
    if (!info) throw new Error(`${rootPath} is not an ELF file in ${this.root}`);
    const origin = posix.dirname(rootPath);
    const own = info.rpath && !info.runpath ? this.expand(info.rpath, origin, info) : [];
    const rpaths = info.runpath ? [] : [...own, ...loaderRpaths];
    const runpath = info.runpath ? this.expand(info.runpath, origin, info) : [];
    const multi = MULTIARCH[info.machine];
    const defaults = [...(multi ? [`/lib/${multi}`, `/usr/lib/${multi}`] : []), ...DEFAULT_DIRS[info.elfClass]];
    const dirs: Array<[string, FoundVia]> = [
      ...rpaths.map((d): [string, FoundVia] => [d, 'rpath']),
      ...runpath.map((d): [string, FoundVia] => [d, 'runpath']),
      ...this.ldSoConfDirs().map((d): [string, FoundVia] => [d, 'ld.so.conf']),
      ...(this.options.extraDirs ?? []).map((d): [string, FoundVia] => [normalizeRootPath(d), 'default']),
      ...defaults.map((d): [string, FoundVia] => [d, 'default']),
    ];
    return { node: { path: rootPath, info, needed: info.needed.map((n) => this.search(n, dirs, info)) }, rpaths: [...own, ...loaderRpaths] };
  }

  /** The whole closure of one object, breadth first like ld.so. */
  tree(rootPath: string): Tree {
    const first = this.resolve(rootPath);
    const libs = new Map<string, NeededLib>();
    const missing: string[] = [];
    const queue: Array<{ lib: NeededLib; rpaths: string[] }> = [];
    const visit = (needed: NeededLib[], rpaths: string[]) => {
      for (const lib of needed) {
        if (libs.has(lib.name)) continue;
        libs.set(lib.name, lib);
        if (lib.path) queue.push({ lib, rpaths });
        else missing.push(lib.name);
      }
    };
    visit(first.node.needed, first.rpaths);
    while (queue.length > 0) {
      const { lib, rpaths } = queue.shift() as { lib: NeededLib; rpaths: string[] };
      const next = this.resolve(lib.path as string, rpaths);
      visit(next.node.needed, next.rpaths);
    }
    return { top: first.node, libs, missing };
  }
}
