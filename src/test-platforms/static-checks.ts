/**
 * Checks on the extracted bundle, on the host, before any container: links, shebangs, modes (the
 * payload-mode rules: nothing setuid, setgid or world-writable), UTF-8 names, and per platform the
 * symbol-version ceilings and the NEEDED libraries left to the host.
 */
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync } from 'node:fs';
import { join, posix } from 'node:path';
import { isElfFile, LibraryResolver, newestVersions, readElf, type ElfInfo } from '../elf/index.js';
import { knownLinkPath } from '../manifest/paths.js';
import type { PlatformSpec } from '../manifest/types.js';
import { exceedsCeiling, type Ceiling } from '../rules/glibc-ceilings.js';
import { isHostProvided, type IgnoredLibrary } from '../rules/host-libraries.js';
import { describeVerdict, judgeMode } from '../rules/payload-modes.js';
import { escapeBytes, isUtf8 } from '../shared/file-names.js';
import { countItem, newCheck, type CheckResult } from './types.js';
import { judgeShebang, shebangInterpreter } from './shebang-rules.js';

/** ELF types ld.so loads (relocatable objects and core dumps are not run). */
const LOADABLE_TYPES = new Set(['EXEC', 'DYN']);

export interface BundleElf {
  /** Path inside the bundle, e.g. usr/bin/python3. */
  path: string;
  info: ElfInfo;
  /** NEEDED names the bundle itself resolves (RPATH/RUNPATH with $ORIGIN, then its lib dirs). */
  provided: Set<string>;
}

export interface BundleScan {
  elves: BundleElf[];
  /** The pseudo-platform `static`: symlinks, hard links, shebangs, unreadable ELFs, modes, names. */
  checks: CheckResult[];
}

/**
 * Every entry under root, depth first, as paths inside the bundle (sorted, so reports are stable). A
 * name that is not valid UTF-8 is yielded as `bad` (its bytes escaped) and not entered: node could not
 * stat it by name.
 */
function* walk(root: string, rel = ''): Generator<{ path: string; bad?: string }> {
  const names: string[] = [];
  for (const raw of readdirSync(join(root, rel), { encoding: 'buffer' })) {
    const name = raw.toString('utf8');
    if (isUtf8(raw)) names.push(name);
    else yield { path: rel ? `${rel}/${escapeBytes(raw)}` : escapeBytes(raw), bad: 'file name is not valid UTF-8' };
  }
  for (const name of names.sort()) {
    const path = rel ? `${rel}/${name}` : name;
    yield { path };
    if (lstatSync(join(root, path)).isDirectory()) yield* walk(root, path);
  }
}

function head(file: string, bytes: number): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0)).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

/** Scans the bundle once: the platform-independent checks and the ELF files with what the bundle provides them. */
export function scanBundle(root: string): BundleScan {
  const symlinks = newCheck('symlinks');
  const hardlinks = newCheck('hardlinks');
  const shebangs = newCheck('shebangs');
  const elfRead = newCheck('elf');
  const modes = newCheck('modes');
  const names = newCheck('names');
  const elves: BundleElf[] = [];
  const resolver = new LibraryResolver(root, { ldSoConf: true });
  const inodes = new Map<string, string[]>();

  for (const { path, bad } of walk(root)) {
    if (bad) {
      names.failures.push({ item: path, message: `${bad}; a bundle holds UTF-8 names only` });
      continue;
    }
    names.passed++;
    const host = join(root, path);
    const st = lstatSync(host);
    if (!st.isSymbolicLink()) {
      const verdict = judgeMode(st.mode);
      if (verdict) modes.failures.push({ item: path, message: `${describeVerdict(verdict)}: a bundle ships nothing setuid, setgid or world-writable` });
      else modes.passed++;
    }
    if (st.isSymbolicLink()) {
      const before = symlinks.failures.length;
      const target = readlinkSync(host);
      if (target.startsWith('/')) {
        symlinks.failures.push({ item: path, message: `absolute symlink to '${target}' (breaks once the bundle is moved)` });
      } else if (posix.normalize(posix.join(posix.dirname(path), target)).startsWith('..')) {
        symlinks.failures.push({ item: path, message: `symlink to '${target}' leaves the bundle` });
      }
      countItem(symlinks, before);
      continue;
    }
    if (!st.isFile()) continue;
    if (st.nlink > 1) inodes.set(`${st.dev}:${st.ino}`, [...(inodes.get(`${st.dev}:${st.ino}`) ?? []), path]);
    else hardlinks.passed++;

    // Only an executable's #! is ever used (stdlib .py files carry shebangs but are not run as programs).
    const interpreter = st.mode & 0o111 ? shebangInterpreter(head(host, 256)) : undefined;
    if (interpreter !== undefined) {
      const { verdict, why } = judgeShebang(interpreter);
      if (verdict === 'ok') shebangs.passed++;
      else shebangs.failures.push({ item: path, message: `shebang '#!${interpreter}': ${why}` });
      continue;
    }
    if (!isElfFile(host)) continue;
    let info: ElfInfo;
    try {
      info = readElf(host);
    } catch (e) {
      elfRead.failures.push({ item: path, message: (e as Error).message });
      continue;
    }
    elfRead.passed++;
    if (!LOADABLE_TYPES.has(info.type)) continue;
    const { node } = resolver.resolve(`/${path}`);
    elves.push({ path, info, provided: new Set(node.needed.filter((n) => n.path).map((n) => n.name)) });
  }
  for (const group of inodes.values()) {
    for (const path of group) {
      const others = group.filter((p) => p !== path);
      hardlinks.failures.push({
        item: path,
        message: `hard link (${group.length} names${others.length ? `, also ${others.join(', ')}` : ', the others outside the bundle'}): tar and CVMFS copies may split or duplicate it`,
      });
    }
  }
  return { elves, checks: [symlinks, hardlinks, shebangs, elfRead, modes, names] };
}

/** Newest GLIBC_/GLIBCXX_/CXXABI_ each ELF needs from a library the bundle does not ship, against the ceiling. */
export function checkCeiling(elves: readonly BundleElf[], platform: PlatformSpec, ceiling: Ceiling): CheckResult {
  const result = newCheck('glibc-ceiling');
  for (const elf of elves) {
    const before = result.failures.length;
    for (const need of elf.info.versionNeeds) {
      if (elf.provided.has(need.file)) continue; // the bundled library's own needs are checked on it
      for (const [family, version] of Object.entries(newestVersions([need]))) {
        const name = `${family}_${version}`;
        if (exceedsCeiling(name, ceiling)) {
          result.failures.push({
            item: elf.path,
            message: `needs ${name} from ${need.file}, newer than ${platform.name} provides (glibc ${ceiling.glibc}${ceiling.glibcxx ? `, GLIBCXX ${ceiling.glibcxx}` : ''}${ceiling.cxxabi ? `, CXXABI ${ceiling.cxxabi}` : ''})`,
          });
        }
      }
    }
    countItem(result, before);
  }
  return result;
}

/**
 * NEEDED libraries the bundle does not provide must be host-provided for the platform's family, left to
 * the host by the bundle (hostLibraries.txt: its ignored packages'; the container checks that the
 * platform has them), or knownMissing.
 */
export function checkHostLibraries(elves: readonly BundleElf[], platform: PlatformSpec, leftToHost: readonly IgnoredLibrary[] = []): CheckResult {
  const result = newCheck('host-libraries');
  const known = new Set([...(platform.knownMissing ?? []), ...leftToHost.map((l) => l.soname)]);
  for (const elf of elves) {
    const before = result.failures.length;
    for (const name of elf.info.needed) {
      if (elf.provided.has(name) || isHostProvided(platform.family, name) || known.has(name)) continue;
      result.failures.push({
        item: elf.path,
        message: `needs ${name}, which the bundle does not ship and ${platform.family} hosts do not provide (not in knownMissing of ${platform.name})`,
      });
    }
    countItem(result, before);
  }
  return result;
}

/** What the bundle stage writes at the bundle's root: the links it removed ("path -> target" lines). */
export const BROKEN_LINKS_FILE = 'brokenLinks.txt';

/**
 * The links the bundle stage removed (brokenLinks.txt) against tests.knownBrokenLinks, both ways, as
 * DIRACOS v1's test_symlink.sh did: one not known fails, a known one no longer broken is reported.
 */
export function checkBrokenLinks(root: string, known: readonly string[]): CheckResult {
  const result = newCheck('broken-links');
  const file = join(root, BROKEN_LINKS_FILE);
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '') : [];
  const knownPaths = new Set(known.map(knownLinkPath).filter((p): p is string => p !== undefined));
  const broken = new Set<string>();
  for (const line of lines) {
    const path = knownLinkPath(line) ?? line;
    broken.add(path);
    if (knownPaths.has(path)) result.passed++;
    else result.failures.push({ item: path, message: `removed by the bundle stage (${BROKEN_LINKS_FILE}: ${line}) and not in tests.knownBrokenLinks` });
  }
  for (const path of knownPaths) {
    if (!broken.has(path)) result.warnings.push(`${path} is in tests.knownBrokenLinks but no longer broken (not in ${BROKEN_LINKS_FILE}): remove it from the list`);
  }
  return result;
}
