/**
 * Extracts RPM payloads into the bundle root, after verifying each RPM's digests (rpm -K: a file
 * changed after it was built is never extracted) and listing its payload (what will really be written,
 * not the header's claims), refusing, with the package named, anything that could land outside the
 * root: `..` components, names that are not the RPM layout's plain `./path` (no empty or `.` component)
 * or not UTF-8, device nodes / fifos / sockets, writes through a symlink (one from the same payload, or
 * one already in the root that leads out of it), and one real path that is a symlink in one entry and
 * something else in another. GNU cpio would strip `../` and `/` itself but happily follows symlinks, which
 * is the real escape.
 *
 * Each payload is decompressed once (rpm2cpio, into a scratch file beside the root); the listing reads
 * that archive's headers (cpio-newc.ts) and the extraction is `cpio -i` of the same file, so what was
 * checked is byte for byte what is written, and an xz payload is not decompressed twice. The scratch
 * files take the payloads' unpacked size until their extraction removes them.
 */
import { lstatSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { mapLimit } from '../shared/concurrency.js';
import { walkLinks } from '../shared/link-walk.js';
import type { Exec } from '../shared/exec.js';
import { DiracosError, DiracosErrors } from '../shared/errors.js';
import { NewcError, readNewc, type EntryKind, type NewcEntry } from './cpio-newc.js';

/** Whether a bundle may hold an entry of each kind. */
export const KIND_ALLOWED: Readonly<Record<EntryKind, boolean>> = {
  file: true,
  dir: true,
  symlink: true,
  'char-device': false,
  'block-device': false,
  fifo: false,
  socket: false,
};

export interface PayloadEntry {
  /** As stored in the payload, e.g. ./usr/bin/python3. */
  name: string;
  kind: EntryKind;
  target?: string;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
/** Control characters (C0, DEL, C1): a name holding one (a newline above all) breaks every line-based list of files. */
const CONTROL = /\p{Cc}/u;

/** Name or link target bytes -> text, or the problem with them. */
function nameText(bytes: Buffer, pkg: string): { text: string } | { problem: string } {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return { problem: `${pkg}: ${bytes.toString('utf8')}: a file name (or link target) that is not valid UTF-8 (each bad byte shown as \uFFFD); a bundle holds UTF-8 names only` };
  }
  if (CONTROL.test(text)) return { problem: `${pkg}: ${JSON.stringify(text)}: a file name (or link target) with a control character; a bundle holds none` };
  return { text };
}

/** The archive's entries as payload entries; an entry whose name or target cannot be one is a problem. */
export function payloadEntries(raw: readonly NewcEntry[], pkg: string): { entries: PayloadEntry[]; problems: string[] } {
  const entries: PayloadEntry[] = [];
  const problems: string[] = [];
  for (const e of raw) {
    const name = nameText(e.name, pkg);
    if ('problem' in name) {
      problems.push(name.problem);
      continue;
    }
    if (!e.kind) {
      problems.push(`${pkg}: ${name.text} has the unknown file type ${(e.mode & 0o170000).toString(8)} (mode ${e.mode.toString(8)})`);
      continue;
    }
    if (e.kind !== 'symlink') {
      entries.push({ name: name.text, kind: e.kind });
      continue;
    }
    const target = nameText(e.target ?? Buffer.alloc(0), pkg);
    if ('problem' in target) problems.push(target.problem);
    // symlink(2) refuses an empty target: cpio would skip the entry with a message and still exit 0.
    else if (target.text === '') problems.push(`${pkg}: ${name.text} is a symlink without a target (cpio cannot make it)`);
    else entries.push({ name: name.text, kind: 'symlink', target: target.text });
  }
  return { entries, problems };
}

/** Linux's NAME_MAX: the longest file name, in bytes. */
const NAME_MAX_BYTES = 255;

/** Whether `path` (host) is `root` or inside it. */
function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !rel.startsWith('/'));
}

/** Every reason this payload may not be extracted into `root`; empty when it is safe. */
export function payloadProblems(pkg: string, entries: readonly PayloadEntry[], root: string): string[] {
  const problems: string[] = [];
  const payloadLinks = new Set(entries.filter((e) => e.kind === 'symlink').map((e) => e.name.replace(/^\.\//, '')));
  const realRoot = realpathSync(root);
  const checkedDirs = new Map<string, string | undefined>();
  for (const e of entries) {
    if (!KIND_ALLOWED[e.kind]) problems.push(`${pkg}: ${e.name} is a ${e.kind}; bundles hold no device nodes, fifos or sockets`);
    if (e.name === '.' || e.name === './') {
      // cpio cannot replace the folder it extracts into: it would skip the entry and still exit 0.
      if (e.kind !== 'dir') problems.push(`${pkg}: ${e.name} is a ${e.kind}; the payload's top may only be a directory`);
      continue;
    }
    if (!e.name.startsWith('./')) {
      problems.push(`${pkg}: ${e.name} is not a ./relative payload path (absolute or foreign layout)`);
      continue;
    }
    const parts = e.name.slice(2).split('/');
    if (parts.some((p) => p === '..')) {
      problems.push(`${pkg}: ${e.name} climbs out of the root with '..'`);
      continue;
    }
    // The checks here and across the set compare names as strings; cpio resolves .//x, ./x/ and ./a/./x
    // to the file ./x names (a symlink of one spelling followed by a write of another).
    if (parts.some((p) => p === '' || p === '.')) {
      problems.push(`${pkg}: ${e.name} is not a plain ./relative path (an empty or '.' component, or a trailing slash)`);
      continue;
    }
    // NAME_MAX: cpio would fail on it midway, after writing the payloads before it.
    const long = parts.find((p) => Buffer.byteLength(p) > NAME_MAX_BYTES);
    if (long !== undefined) problems.push(`${pkg}: ${e.name} has a component of ${Buffer.byteLength(long)} bytes (a file name holds at most ${NAME_MAX_BYTES})`);
    // Every parent directory: not a symlink of this payload, and, if it exists in the root, not leading out of it.
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (payloadLinks.has(parent)) {
        problems.push(`${pkg}: ${e.name} would be written through the symlink ./${parent} of the same package`);
        break;
      }
      if (!checkedDirs.has(parent)) checkedDirs.set(parent, escapeOf(realRoot, parent));
      const escape = checkedDirs.get(parent);
      if (escape) {
        problems.push(`${pkg}: ${e.name} would be written through ./${parent}, a symlink in the bundle to ${escape} outside it`);
        break;
      }
    }
  }
  return problems;
}

/** Where an existing path of the root really leads when that is outside the root (undefined if fine or absent). */
function escapeOf(realRoot: string, rel: string): string | undefined {
  const p = join(realRoot, rel);
  try {
    if (!lstatSync(p).isSymbolicLink()) return undefined;
  } catch {
    return undefined;
  }
  let real: string;
  try {
    real = realpathSync(p);
  } catch {
    return `${rel} (dangling)`; // cpio would create its target wherever it points
  }
  return inside(realRoot, real) ? undefined : real;
}

/**
 * cpio's input block size in 512-byte units: 64 KiB reads instead of 512 bytes (fewer system calls;
 * what is written does not change).
 */
const CPIO_BLOCKS = 128;

// -u: packages share directories and may ship the same file; -m keeps the packaged mtimes.
const UNPACK = `cpio -idmu --no-absolute-filenames --no-preserve-owner --quiet --block-size=${CPIO_BLOCKS}`;

/**
 * Several RPMs per tool call: the tools may run in a container, where every call costs a few hundred
 * milliseconds. `rpm -Kv --nosignature` checks the whole batch's digests (header and payload, so a
 * file changed after it was built is never extracted) in the background while each RPM's payload is
 * decompressed into "$1"/NNNNNN.cpio (the Nth RPM); an RPM whose payload cannot be read gets a line
 * `\0\1N status`. rpm's report comes last, after a `\0\3` marker.
 */
// rpm reads its file arguments as globs and drops quotes from them: it is given plain names (N.rpm,
// links to the RPMs in a temp folder), whatever the user's paths hold.
const LIST_BATCH = `out=$1; shift; k=$(mktemp); d=$(mktemp -d); i=0; for r in "$@"; do i=$((i+1)); ln -s "$r" "$d/$(printf %06d "$i").rpm"; done; (cd "$d" && rpm -Kv --nosignature -- $(seq -f '%06g.rpm' 1 "$i")) > "$k" 2>&1 & i=0; for r in "$@"; do i=$((i+1)); n=$(printf %06d "$i"); rpm2cpio "$r" > "$out/$n.cpio" || printf '\\0\\1%s %s\\n' "$n" "$?"; done; wait; printf '\\0\\3'; cat "$k"; rm -rf "$k" "$d"`;
// Arguments: package name, archive, package name, archive...; each archive is removed once written out.
// GNU cpio reports some entries it could not write ("cannot remove current", "Cannot symlink") and still
// exits 0: with --quiet, anything it says is such a failure.
const UNPACK_BATCH = `e=$(mktemp); trap 'rm -f "$e"' EXIT; while [ $# -gt 0 ]; do ${UNPACK} < "$2" 2> "$e"; s=$?; if [ "$s" -ne 0 ] || [ -s "$e" ]; then echo "extracting $1 failed (cpio exited with $s): $(cat "$e")" >&2; exit 1; fi; rm -f "$2"; shift 2; done`;

/**
 * `rpm -Kv` output -> the RPMs whose digests are not all OK, each with what rpm said. rpm prints a
 * `<file>:` line per RPM, then one indented `<digest>: OK|BAD (...)` line per digest (none when the
 * file cannot be read at all, with an `error:` line instead).
 */
export function badDigests(output: string, rpms: readonly string[]): Map<string, string> {
  const wanted = new Set(rpms);
  const blocks = new Map<string, string[]>();
  const errors: string[] = [];
  let current: string[] | undefined;
  for (const line of output.split('\n')) {
    if (/^\s/.test(line)) current?.push(line.trim());
    else if (line.startsWith('error: ')) errors.push(line.slice(7));
    else if (line.endsWith(':') && wanted.has(line.slice(0, -1))) blocks.set(line.slice(0, -1), (current = []));
  }
  const bad = new Map<string, string>();
  for (const rpm of rpms) {
    const lines = blocks.get(rpm) ?? [];
    const notOk = lines.filter((l) => !/: OK$/.test(l));
    if (lines.length > 0 && notOk.length === 0) continue;
    const said = notOk.length > 0 ? notOk : errors.filter((e) => e.includes(rpm)).map((e) => e.replace(`${rpm}: `, ''));
    bad.set(rpm, said.join('; ') || 'rpm -K printed nothing for it');
  }
  return bad;
}

/** One RPM's decompressed payload, or why there is none. */
interface RawPayload {
  archive?: string;
  problems: string[];
}

/**
 * Digests of several RPMs and their payloads decompressed into `scratch`, by RPM. An RPM whose digests
 * are not OK, or whose payload cannot be read, has a problem naming it (and no archive).
 */
async function decompressBatch(exec: Exec, rpms: readonly string[], scratch: string): Promise<Map<string, RawPayload>> {
  const batch = mkdtempSync(join(scratch, 'batch-'));
  const { stdout } = await exec('bash', ['-c', LIST_BATCH, 'list-payloads', batch, ...rpms]);
  const at = stdout.lastIndexOf('\0\x03');
  if (at < 0) throw new DiracosError(`listing payloads: unexpected output from the tools: ${JSON.stringify(stdout.slice(0, 200))}`);
  const aliases = rpms.map((_, i) => `${String(i + 1).padStart(6, '0')}.rpm`);
  const digests = badDigests(stdout.slice(at + 2), aliases);
  const unreadable = new Map(
    stdout
      .slice(0, at)
      .split('\0\x01')
      .slice(1)
      .map((line) => line.trim().split(' ') as [string, string]),
  );
  return new Map(
    rpms.map((rpm, i): [string, RawPayload] => {
      const n = String(i + 1).padStart(6, '0');
      const bad = digests.get(`${n}.rpm`);
      if (bad !== undefined) return [rpm, { problems: [`${basename(rpm)}: digests NOT OK (${bad.replaceAll(`${n}.rpm`, basename(rpm))}): the file changed after it was built; rebuild or restore it`] }];
      const status = unreadable.get(n);
      if (status !== undefined) return [rpm, { problems: [`${basename(rpm)}: its payload cannot be read (rpm2cpio exited with ${status})`] }];
      return [rpm, { archive: join(batch, `${n}.cpio`), problems: [] }];
    }),
  );
}

/** `items` in at most `parts` runs of consecutive items of near-equal size. */
export function chunks<T>(items: readonly T[], parts: number): T[][] {
  const size = Math.max(1, Math.ceil(items.length / Math.max(1, parts)));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Lists, checks, then extracts one RPM into `root`. Throws a DiracosErrors naming the package and
 * every bad entry (or its bad digests) before anything is written.
 */
export async function extractRpm(exec: Exec, rpm: string, root: string): Promise<PayloadEntry[]> {
  const listed = await listPayloads(exec, [rpm], root, 1);
  return (await extractListed(exec, listed, root, 1)).get(rpm)!;
}

/**
 * Where a write to bundle-relative `dir` would really go, following the symlinks every payload of the
 * set will create: the first link on the way that leads out of the root (absolute targets are followed
 * by cpio on the host, `..` past the top climbs out), or undefined when the write stays inside.
 */
export function escapeThroughLinks(dir: string, links: ReadonlyMap<string, string>): string | undefined {
  const walked = walkLinks(dir, (parts) => links.get(parts.join('/')), { absolute: 'stop', aboveRoot: 'stop' });
  if (walked.ok) return undefined;
  const at = `./${walked.at.join('/')}`;
  if (walked.why === 'absolute') return `${at} -> ${walked.target}`;
  if (walked.why === 'loop') return `${at} (symlink loop)`;
  return `${dir} (climbs above the root)`;
}

/**
 * Problems across the payloads of one set extracted together: a write through a symlink another
 * package creates that leads out of the root, and one path that is a symlink in one package and
 * something else in another (the extraction order would decide what the bundle holds).
 */
export function setProblems(payloads: ReadonlyArray<{ pkg: string; entries: readonly PayloadEntry[] }>): string[] {
  const links = new Map<string, string>();
  for (const { entries } of payloads) for (const e of entries) if (e.kind === 'symlink' && e.target !== undefined) links.set(e.name.replace(/^\.\//, ''), e.target);
  // By real path (the parent's links followed): ./lib/x is ./usr/lib/x when ./lib -> usr/lib, and a file
  // cpio creates last (a hard link without data, by open()) follows a symlink made there meanwhile.
  const kinds = new Map<string, { kind: EntryKind; pkg: string; name: string }>();
  const realDirs = new Map<string, string | undefined>();
  const realDir = (dir: string) => {
    if (!realDirs.has(dir)) {
      const walked = walkLinks(dir, (at) => links.get(at.join('/')), { absolute: 'stop', aboveRoot: 'stop' });
      realDirs.set(dir, walked.ok ? walked.parts.join('/') : undefined);
    }
    return realDirs.get(dir);
  };
  const problems: string[] = [];
  for (const { pkg, entries } of payloads) {
    for (const e of entries) {
      const rel = e.name.replace(/^\.\//, '');
      if (rel === '' || rel === '.') continue;
      const slash = rel.lastIndexOf('/');
      const dir = slash < 0 ? '' : realDir(rel.slice(0, slash));
      // A parent that leads out of the root is reported below; the name stands for itself then.
      const real = dir === undefined ? rel : dir === '' ? rel.slice(slash + 1) : `${dir}/${rel.slice(slash + 1)}`;
      const seen = kinds.get(real);
      if (seen && seen.kind !== e.kind && (seen.kind === 'symlink' || e.kind === 'symlink')) {
        const other = seen.name === e.name ? `a ${seen.kind}` : `${seen.name}, the same path, is a ${seen.kind}`;
        problems.push(`${pkg}: ${e.name} is a ${e.kind} but ${other} in ${seen.pkg}`);
      } else if (!seen) kinds.set(real, { kind: e.kind, pkg, name: e.name });
    }
  }
  for (const { pkg, entries } of payloads) {
    const checked = new Map<string, string | undefined>();
    for (const e of entries) {
      const rel = e.name.replace(/^\.\//, '');
      const parent = rel.split('/').slice(0, -1).join('/');
      if (parent === '') continue;
      if (!checked.has(parent)) checked.set(parent, escapeThroughLinks(parent, links));
      const escape = checked.get(parent);
      if (escape) problems.push(`${pkg}: ${e.name} would be written through ${escape}, outside the bundle`);
    }
  }
  return problems;
}

/** One RPM's payload listing and what is wrong with it on its own. */
export interface ListedPayload {
  rpm: string;
  /** The file name, as problems name the package. */
  pkg: string;
  entries: PayloadEntry[];
  problems: string[];
  /** The decompressed payload, until extractListed writes it out (or discardListed drops it). */
  archive?: string;
  /** The scratch folder holding it (and what the listing left there). */
  scratch?: string;
}

/**
 * Verifies, decompresses, lists and checks each payload on its own, in `jobs` batches at a time; writes
 * nothing into `root`. The decompressed payloads wait in a scratch folder beside `root` (its name starts
 * with root's, so whatever cleans an interrupted run's root cleans them too) for extractListed, or
 * discardListed when they are not extracted.
 */
export async function listPayloads(exec: Exec, rpms: readonly string[], root: string, jobs: number): Promise<ListedPayload[]> {
  if (rpms.length === 0) return [];
  const scratch = mkdtempSync(`${root}.payloads-`);
  try {
    const raw = new Map<string, RawPayload>();
    for (const batch of await mapLimit(chunks(rpms, jobs), jobs, (b) => decompressBatch(exec, b, scratch))) for (const [r, l] of batch) raw.set(r, l);
    return rpms.map((rpm) => {
      const pkg = basename(rpm);
      const { archive, problems: unread } = raw.get(rpm)!;
      if (!archive) return { rpm, pkg, entries: [], problems: unread, scratch };
      let listing: ReturnType<typeof payloadEntries>;
      try {
        listing = payloadEntries(readNewc(archive), pkg);
      } catch (e) {
        if (!(e instanceof NewcError)) throw e;
        return { rpm, pkg, entries: [], problems: [`${pkg}: its payload is not a cpio archive as RPM writes them: ${e.message}`], scratch };
      }
      const { entries, problems } = listing;
      problems.push(...payloadProblems(pkg, entries, root));
      return { rpm, pkg, entries, problems, archive, scratch };
    });
  } catch (e) {
    rmSync(scratch, { recursive: true, force: true });
    throw e;
  }
}

/** Removes the decompressed payloads of listed packages that will not be extracted. */
export function discardListed(listed: readonly ListedPayload[]): void {
  for (const dir of new Set(listed.flatMap((l) => (l.scratch ? [l.scratch] : [])))) rmSync(dir, { recursive: true, force: true });
}

/**
 * Extracts a set of listed payloads into `root`: the set is checked, each payload and all of them
 * together with those `extracted` before (already in `root`), before anything is written; then they
 * are extracted `jobs` at a time (the set comes from one dnf transaction, so no two packages disagree
 * on a file). The decompressed payloads are gone afterwards, whether or not the set was extracted.
 */
export async function extractListed(
  exec: Exec,
  listed: readonly ListedPayload[],
  root: string,
  jobs: number,
  extracted: readonly ListedPayload[] = [],
): Promise<Map<string, PayloadEntry[]>> {
  try {
    const problems: Array<{ message: string; location?: { file: string } }> = listed.flatMap((l) => l.problems.map((message) => ({ message, location: { file: l.rpm } })));
    // Across the set: the payloads without problems of their own (those already say what is wrong with them).
    problems.push(...setProblems([...extracted, ...listed.filter((l) => l.problems.length === 0)]).map((message) => ({ message })));
    if (problems.length > 0) {
      const bad = [...new Set(problems.map((p) => p.message.split(':')[0]))].join(', ');
      throw new DiracosErrors(problems, `refusing to extract ${bad}`);
    }
    const pairs = listed.map((l) => [l.pkg, l.archive!] as const);
    await mapLimit(chunks(pairs, jobs), jobs, async (batch) => {
      if (batch.length > 0) await exec('bash', ['-c', UNPACK_BATCH, 'extract-rpms', ...batch.flat()], { cwd: root });
    });
    return new Map(listed.map((l) => [l.rpm, l.entries]));
  } finally {
    discardListed(listed);
  }
}
