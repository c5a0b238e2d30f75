import { constants, realpathSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import { isMap, parseDocument, type Node, type YAMLMap } from 'yaml';
import { readManifestText } from '../manifest/load.js';
import type { DownloadSource, Manifest, SourceSpec } from '../manifest/types.js';
import { nodeAt, validateManifestText } from '../manifest/validate.js';
import { DiracosError, DiracosErrors } from '../shared/errors.js';
import { replaceFile } from '../shared/replace-file.js';
import type { AptOptions } from './apt.js';
import { lockSource } from './fetch.js';
import type { SourceContext } from './types.js';

/** A url/apt source of the manifest without a sha256, and where it stands. */
export interface UnlockedSource {
  /** Key path in the manifest, e.g. build.packageGroups[0].packages[2].srpm */
  where: string;
  path: Array<string | number>;
  /** The package it belongs to ('python' for python.source), for people reading a list of them. */
  package: string;
  spec: DownloadSource;
}

export interface LockResult {
  file: string;
  /** What was locked now (or, with check, what is not locked). */
  sources: Array<UnlockedSource & { sha256?: string }>;
  /** The manifest was rewritten. */
  written: boolean;
}

/** Every source of the manifest that has no sha256 yet (path sources need none). */
export function unlockedSources(m: Manifest): UnlockedSource[] {
  const out: UnlockedSource[] = [];
  const visit = (pkg: string, path: Array<string | number>, s: SourceSpec | undefined) => {
    if (s && !('path' in s) && !s.sha256) out.push({ where: keyPath(path), path, package: pkg, spec: s });
  };
  visit('python', ['python', 'source'], m.python.source);
  m.build.packageGroups.forEach((g, gi) =>
    g.packages.forEach((p, pi) => {
      const at = ['build', 'packageGroups', gi, 'packages', pi];
      visit(p.name, [...at, 'srpm'], p.srpm);
      visit(p.name, [...at, 'tarball'], p.tarball);
      p.sources?.forEach((s, i) => visit(p.name, [...at, 'sources', i], s));
      p.rpms?.forEach((s, i) => visit(p.name, [...at, 'rpms', i], s));
    }),
  );
  return out;
}

/**
 * `diracos lock`: downloads every source without a sha256 (its urls in order, then apt) and writes the
 * sha256 it has into the manifest, changing nothing else of the file: comments, order, quoting and
 * layout stay byte for byte (the lines are inserted into the text, not re-serialized). The file is
 * replaced at once, and only when every source could be locked and nobody changed the file meanwhile;
 * `check` only reports.
 */
export async function lockManifest(ctx: SourceContext, file: string, opts: AptOptions & { check?: boolean } = {}): Promise<LockResult> {
  // A symlinked manifest is edited where it lives (a rename over the link would replace the link).
  const path = realpathSync(resolvePath(file));
  const original = readManifestText(path, { keepBom: true });
  const bom = original.startsWith(BOM) ? BOM : '';
  const text = original.slice(bom.length);
  const { manifest, problems } = validateManifestText(text, path);
  if (!manifest) throw new DiracosErrors(problems, `${path}: ${problems.length} problem(s) in the manifest`);
  const unlocked = unlockedSources(manifest);
  if (opts.check || unlocked.length === 0) return { file: path, sources: unlocked, written: false };
  await checkWritable(path);

  const locked: Array<UnlockedSource & { sha256: string }> = [];
  const failures: string[] = [];
  // The same source written twice (an alias, a copied line) is downloaded once.
  const downloads = new Map<string, ReturnType<typeof lockSource>>();
  for (const u of unlocked) {
    const id = JSON.stringify(u.spec);
    if (!downloads.has(id)) downloads.set(id, lockSource(ctx, u.spec, opts));
    try {
      const got = await downloads.get(id)!;
      ctx.reporter.info(`${u.where}: ${got.fileName} sha256 ${got.sha256}`);
      locked.push({ ...u, sha256: got.sha256 });
    } catch (e) {
      if (!(e instanceof DiracosError)) throw e;
      failures.push(`${u.where}: ${e.message}`);
    }
  }
  if (failures.length) {
    throw new DiracosError(`${path}: ${failures.length} of ${unlocked.length} source(s) could not be downloaded; the manifest is unchanged:\n${failures.map((f) => `  ${f.replace(/\n/g, '\n    ')}`).join('\n')}`);
  }

  const edited = bom + editedText(path, text, locked);
  // The downloads took a while: an edit made meanwhile (by hand, by another lock) is not overwritten.
  const now = readManifestText(path, { keepBom: true });
  if (now === edited) return { file: path, sources: locked, written: false };
  if (now !== original) {
    throw new DiracosError(`${path}: the manifest changed while its sources were downloaded; it is left as it is now: run \`diracos lock\` again`);
  }
  await replaceFile(path, edited, { keepOwnership: true });
  return { file: path, sources: locked, written: true };
}

const BOM = '\uFEFF';

/**
 * The text with the digests in, checked to be a valid manifest with every source locked; when it is not
 * (a layout the insertion does not handle), the error gives the digests to write by hand.
 */
function editedText(path: string, text: string, locked: ReadonlyArray<UnlockedSource & { sha256: string }>): string {
  let why: string;
  try {
    const edited = insertDigests(text, locked);
    const after = validateManifestText(edited, path);
    const still = after.manifest && unlockedSources(after.manifest);
    if (still && still.length === 0) return edited;
    why = still ? `still without sha256: ${still.map((u) => u.where).join(', ')}` : after.problems.map((p) => `line ${p.location.line}: ${p.message}`).join('; ');
  } catch (e) {
    if (!(e instanceof DiracosError)) throw e;
    why = e.message;
  }
  const digests = locked.map((s) => `  ${s.where}: sha256: ${s.sha256}`).join('\n');
  throw new DiracosError(`${path}: the digests could not be written into the text (${why}); the manifest is unchanged; write them by hand:\n${digests}`);
}

/** Before downloading anything: the file is replaced in its folder, so both must be writable. */
async function checkWritable(path: string): Promise<void> {
  for (const [target, what] of [[path, 'the file'], [dirname(path), `its folder ${dirname(path)}`]] as const) {
    try {
      await access(target, constants.W_OK);
    } catch (e) {
      throw new DiracosError(`${path}: cannot write the manifest: ${what} is not writable (${(e as NodeJS.ErrnoException).code}); nothing was downloaded`);
    }
  }
}

/** The text with `sha256: HEX` added to each source's mapping (once per mapping, aliases resolved). */
export function insertDigests(text: string, sources: ReadonlyArray<{ path: Array<string | number>; where: string; sha256: string }>): string {
  const doc = parseDocument(text, { merge: true });
  const edits = new Map<number, string>();
  for (const s of sources) {
    // Through aliases and merge keys: the mapping the source is, maybe an anchored one far away.
    const node = nodeAt(doc, s.path);
    if (!node || !isMap(node) || !node.range) throw new DiracosError(`${s.where}: not a mapping in the text`);
    const [offset, insert] = insertion(text, node, s.sha256);
    const already = edits.get(offset);
    if (already !== undefined && already !== insert) throw new DiracosError(`${s.where}: the same source mapping got two digests`);
    edits.set(offset, insert);
  }
  let out = text;
  for (const offset of [...edits.keys()].sort((a, b) => b - a)) out = out.slice(0, offset) + edits.get(offset)! + out.slice(offset);
  return out;
}

/** Where and what to insert into the text so `map` gets a sha256 key, in the map's own style. */
function insertion(text: string, map: YAMLMap, sha256: string): [number, string] {
  const [start, valueEnd] = map.range!;
  const last = map.items.at(-1);
  const lastEnd = ((last?.value as Node | undefined)?.range ?? (last?.key as Node | undefined)?.range)?.[1] ?? valueEnd;
  if (map.flow) {
    // { url: ..., apt: x }: right after the last entry (before a comment there), or after its trailing comma
    let after = lastEnd;
    while (/[ \t\r\n]/.test(text[after] ?? '')) after++;
    return text[after] === ',' ? [after + 1, ` sha256: ${sha256}`] : [lastEnd, `, sha256: ${sha256}`];
  }
  // A block mapping: a new line after its last entry (and that line's comment), at its keys' column.
  const first = map.items[0]?.key as Node | undefined;
  const keyAt = first?.range?.[0] ?? start;
  const column = keyAt - (text.lastIndexOf('\n', keyAt - 1) + 1);
  let lineEnd = text.indexOf('\n', Math.max(lastEnd - 1, 0));
  if (lineEnd < 0) lineEnd = text.length;
  // the value may end at a newline already (block scalars, nested block collections)
  if (lastEnd > 0 && text[lastEnd - 1] === '\n') lineEnd = lastEnd - 1;
  // a file with CRLF line ends keeps them
  const crlf = lineEnd > 0 && text[lineEnd - 1] === '\r';
  return crlf ? [lineEnd - 1, `\r\n${' '.repeat(column)}sha256: ${sha256}`] : [lineEnd, `\n${' '.repeat(column)}sha256: ${sha256}`];
}

function keyPath(path: Array<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');
}
