/**
 * Extracts RPM payloads into the bundle root with rpm2cpio | cpio, after verifying each RPM's
 * digests (rpm -K: a file changed after it was built is never extracted) and listing its payload
 * (cpio -t, i.e. what will really be written, not the header's claims), refusing, with the package
 * named, anything that could land outside the root: `..` components, names that are not the RPM
 * layout's `./path` or not UTF-8, device nodes / fifos / sockets, and writes through a symlink (one
 * from the same payload, or one already in the root that leads out of it). GNU cpio would strip
 * `../` and `/` itself but happily follows symlinks, which is the real escape.
 */
import { lstatSync, realpathSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { mapLimit } from '../shared/concurrency.js';
import { walkLinks } from '../shared/link-walk.js';
import type { Exec } from '../shared/exec.js';
import { DiracosError, DiracosErrors } from '../shared/errors.js';

export type EntryKind = 'file' | 'dir' | 'symlink' | 'char-device' | 'block-device' | 'fifo' | 'socket';

/** `ls -l` type letter -> kind, and whether a bundle may contain it. */
export const ENTRY_KINDS: Readonly<Record<string, { kind: EntryKind; allowed: boolean }>> = {
  '-': { kind: 'file', allowed: true },
  d: { kind: 'dir', allowed: true },
  l: { kind: 'symlink', allowed: true },
  c: { kind: 'char-device', allowed: false },
  b: { kind: 'block-device', allowed: false },
  p: { kind: 'fifo', allowed: false },
  s: { kind: 'socket', allowed: false },
};

export interface PayloadEntry {
  /** As stored in the payload, e.g. ./usr/bin/python3. */
  name: string;
  kind: EntryKind;
  target?: string;
}

/**
 * One line of `cpio -itv --numeric-uid-gid`:
 *   mode links uid gid size-or-"maj, min" date name[ -> target]
 * Dates are "Mon DD HH:MM" or "Mon DD  YYYY".
 */
const LISTING = /^([-dlcbps])[-rwxsStT]{9}\s+\d+\s+\d+\s+\d+\s+(?:\d+|\d+,\s+\d+)\s+[A-Z][a-z]{2}\s+\d+\s+(?:\d\d:\d\d|\d{4})\s(.*)$/;

/** Parses the listing; a line that does not parse is a problem (e.g. a name with a newline). */
export function parseListing(text: string, pkg: string): { entries: PayloadEntry[]; problems: string[] } {
  const entries: PayloadEntry[] = [];
  const problems: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = LISTING.exec(line);
    if (!m) {
      problems.push(`${pkg}: unreadable payload listing line ${JSON.stringify(line)}`);
      continue;
    }
    const kind = ENTRY_KINDS[m[1]].kind;
    // The tools' output is decoded as UTF-8: a byte that is not becomes U+FFFD (a real U+FFFD in a
    // name is refused too). Such a name could not be handled by name later (ENOENT).
    if (m[2].includes('\uFFFD')) {
      problems.push(`${pkg}: ${m[2]}: a file name (or link target) that is not valid UTF-8 (each bad byte shown as \uFFFD); a bundle holds UTF-8 names only`);
      continue;
    }
    if (kind === 'symlink') {
      const parts = m[2].split(' -> ');
      if (parts.length !== 2) problems.push(`${pkg}: ambiguous symlink entry ${JSON.stringify(m[2])}`);
      else entries.push({ name: parts[0], kind, target: parts[1] });
    } else entries.push({ name: m[2], kind });
  }
  return { entries, problems };
}

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
    const rule = Object.values(ENTRY_KINDS).find((k) => k.kind === e.kind);
    if (!rule?.allowed) problems.push(`${pkg}: ${e.name} is a ${e.kind}; bundles hold no device nodes, fifos or sockets`);
    if (e.name === '.' || e.name === './') continue;
    if (!e.name.startsWith('./')) {
      problems.push(`${pkg}: ${e.name} is not a ./relative payload path (absolute or foreign layout)`);
      continue;
    }
    const parts = e.name.slice(2).split('/');
    if (parts.some((p) => p === '..')) {
      problems.push(`${pkg}: ${e.name} climbs out of the root with '..'`);
      continue;
    }
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
 * cpio's input block size in 512-byte units: 64 KiB reads from the pipe instead of 512 bytes (fewer
 * system calls; what is listed and written does not change).
 */
const CPIO_BLOCKS = 128;

// -u: packages share directories and may ship the same file; -m keeps the packaged mtimes.
const UNPACK = `cpio -idmu --no-absolute-filenames --no-preserve-owner --quiet --block-size=${CPIO_BLOCKS}`;

/**
 * Several RPMs per tool call: the tools may run in a container, where every call costs a few hundred
 * milliseconds. `rpm -Kv --nosignature` checks the whole batch's digests (header and payload, so a
 * file changed after it was built is never extracted) in the background while each RPM's listing
 * follows a NUL marker line naming it (a second marker with the exit status for an RPM whose payload
 * cannot be read); rpm's report comes last, after its own marker. On the example's 56.5 MB the digests
 * cost 0.2 CPU seconds, about a sixth of the listing's (bench/bundle-digests.ts).
 */
// rpm reads its file arguments as globs and drops quotes from them: it is given plain names (N.rpm,
// links to the RPMs in a temp folder), whatever the user's paths hold.
const LIST_BATCH = `k=$(mktemp); d=$(mktemp -d); i=0; for r in "$@"; do i=$((i+1)); ln -s "$r" "$d/$(printf %06d "$i").rpm"; done; (cd "$d" && rpm -Kv --nosignature -- $(seq -f '%06g.rpm' 1 "$i")) > "$k" 2>&1 & for r in "$@"; do printf '\\0\\0%s\\n' "$r"; set -o pipefail; rpm2cpio "$r" | cpio -itv --quiet --numeric-uid-gid --block-size=${CPIO_BLOCKS} || printf '\\0\\1%s\\n' "$?"; done; wait; printf '\\0\\3'; cat "$k"; rm -rf "$k" "$d"`;
const UNPACK_BATCH = `set -o pipefail; for r in "$@"; do rpm2cpio "$r" | ${UNPACK} || { s=$?; echo "extracting $r failed (exit $s)" >&2; exit $s; }; done`;

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

/** One RPM's `cpio -itv` listing, or why there is none; and what its digests say. */
export interface RawListing {
  listing: string;
  problems: string[];
}

/**
 * Digests and `cpio -itv` of several RPMs' payloads, by RPM. An RPM whose digests are not OK, or whose
 * payload cannot be read, has a problem naming it (and its listing is not used).
 */
export async function listPayloadBatch(exec: Exec, rpms: readonly string[]): Promise<Map<string, RawListing>> {
  if (rpms.length === 0) return new Map();
  const { stdout } = await exec('bash', ['-c', LIST_BATCH, 'list-payloads', ...rpms]);
  const at = stdout.lastIndexOf('\0\x03');
  if (at < 0) throw new DiracosError(`listing payloads: unexpected output from the tools: ${JSON.stringify(stdout.slice(0, 200))}`);
  const aliases = rpms.map((_, i) => `${String(i + 1).padStart(6, '0')}.rpm`);
  const digests = new Map([...badDigests(stdout.slice(at + 2), aliases)].map(([alias, said]) => [rpms[Number.parseInt(alias, 10) - 1]!, said.replaceAll(alias, basename(rpms[Number.parseInt(alias, 10) - 1]!))]));
  const parts = stdout.slice(0, at).split('\0\0').slice(1);
  const out = new Map<string, RawListing>();
  for (const part of parts) {
    const nl = part.indexOf('\n');
    const rpm = part.slice(0, nl);
    const body = part.slice(nl + 1);
    const bad = digests.get(rpm);
    if (bad !== undefined) {
      out.set(rpm, { listing: '', problems: [`${basename(rpm)}: digests NOT OK (${bad}): the file changed after it was built; rebuild or restore it`] });
      continue;
    }
    const failed = body.indexOf('\0\x01');
    if (failed >= 0) out.set(rpm, { listing: '', problems: [`${basename(rpm)}: its payload cannot be read (rpm2cpio | cpio exited with ${body.slice(failed + 2).trim()})`] });
    else out.set(rpm, { listing: body, problems: [] });
  }
  const missing = rpms.filter((r) => !out.has(r));
  if (missing.length > 0) throw new DiracosError(`listing payloads: no output for ${missing.map((r) => basename(r)).join(', ')}`);
  return out;
}

/** Writes several checked RPM payloads into `root`, in order. */
async function unpackBatch(exec: Exec, rpms: readonly string[], root: string): Promise<void> {
  if (rpms.length > 0) await exec('bash', ['-c', UNPACK_BATCH, 'extract-rpms', ...rpms], { cwd: root });
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
  const [{ pkg, entries, problems }] = (await listPayloads(exec, [rpm], root, 1)) as [ListedPayload];
  if (problems.length > 0) throw new DiracosErrors(problems.map((message) => ({ message, location: { file: rpm } })), `refusing to extract ${pkg}`);
  await unpackBatch(exec, [rpm], root);
  return entries;
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
  const kinds = new Map<string, { kind: EntryKind; pkg: string }>();
  const problems: string[] = [];
  for (const { pkg, entries } of payloads) {
    for (const e of entries) {
      const rel = e.name.replace(/^\.\//, '');
      if (rel === '' || rel === '.') continue;
      if (e.kind === 'symlink' && e.target !== undefined) links.set(rel, e.target);
      const seen = kinds.get(rel);
      if (seen && seen.kind !== e.kind && (seen.kind === 'symlink' || e.kind === 'symlink')) {
        problems.push(`${pkg}: ./${rel} is a ${e.kind} but a ${seen.kind} in ${seen.pkg}`);
      } else if (!seen) kinds.set(rel, { kind: e.kind, pkg });
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
}

/** Lists and checks each payload on its own (digests first), in `jobs` batches at a time; writes nothing. */
export async function listPayloads(exec: Exec, rpms: readonly string[], root: string, jobs: number): Promise<ListedPayload[]> {
  const listings = new Map<string, RawListing>();
  for (const batch of await mapLimit(chunks(rpms, jobs), jobs, (b) => listPayloadBatch(exec, b))) for (const [r, l] of batch) listings.set(r, l);
  return rpms.map((rpm) => {
    const pkg = basename(rpm);
    const raw = listings.get(rpm)!;
    if (raw.problems.length > 0) return { rpm, pkg, entries: [], problems: raw.problems };
    const { entries, problems } = parseListing(raw.listing, pkg);
    problems.push(...payloadProblems(pkg, entries, root));
    return { rpm, pkg, entries, problems };
  });
}

/**
 * Extracts a set of listed payloads into `root`: the set is checked, each payload and all of them
 * together with those `extracted` before (already in `root`), before anything is written; then they
 * are extracted `jobs` at a time (the set comes from one dnf transaction, so no two packages disagree
 * on a file).
 */
export async function extractListed(
  exec: Exec,
  listed: readonly ListedPayload[],
  root: string,
  jobs: number,
  extracted: readonly ListedPayload[] = [],
): Promise<Map<string, PayloadEntry[]>> {
  const problems: Array<{ message: string; location?: { file: string } }> = listed.flatMap((l) => l.problems.map((message) => ({ message, location: { file: l.rpm } })));
  problems.push(...setProblems([...extracted, ...listed]).map((message) => ({ message })));
  if (problems.length > 0) {
    const bad = [...new Set(problems.map((p) => p.message.split(':')[0]))].join(', ');
    throw new DiracosErrors(problems, `refusing to extract ${bad}`);
  }
  await mapLimit(chunks(listed.map((l) => l.rpm), jobs), jobs, (batch) => unpackBatch(exec, batch, root));
  return new Map(listed.map((l) => [l.rpm, l.entries]));
}
