import { copyFile, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ResolvedPackage } from '../manifest/resolve.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';
import { ExecError } from '../shared/exec.js';
import { sha256File } from '../shared/hash.js';
import { fetchSource } from '../sources/fetch.js';
import { assertRpmKind } from '../sources/rpm-lead.js';
import type { FetchedSource } from '../sources/types.js';
import { capabilityName } from './query.js';

/**
 * A package made into an rpmbuild tree: SPECS/<one spec> and SOURCES/. Every kind (SRPM, spec + sources,
 * tarball with its own spec) ends up the same way, so one build path serves all three. Prebuilt RPMs
 * (`rpms`) make a tree with RPMS/ only: nothing is built, they enter the repository as they are.
 */
export interface PackageTree {
  name: string;
  dir: string;
  /** Absolute path of the spec inside the tree ('' for prebuilt RPMs). */
  spec: string;
  /** Sources not yet under the name the spec expects (spec packages); placed after the spec is parsed. */
  pending: Array<{ file: FetchedSource | string; role: 'source' | 'patch' }>;
  /** Where the spec came from, for error messages. */
  origin: string;
  /** Inputs that acted on the tree without being in it (spec patches): key name -> sha256. */
  inputs?: Record<string, string>;
  /** Prebuilt RPMs (kind rpms): what they are, as a spec query would say it. */
  prebuilt?: PrebuiltRpms;
}

/** What the headers of a package's prebuilt RPMs say: the same shape as a spec query's answer. */
export interface PrebuiltRpms {
  subpackages: Array<{ name: string; file: string }>;
  /** Capability names per RPM name. */
  provides: Record<string, string[]>;
}

/** Where the tree keeps prebuilt RPMs (under their N-V-R.A.rpm names). */
export const PREBUILT_DIR = 'RPMS';

export async function prepareTree(ctx: Context, p: ResolvedPackage, root: string): Promise<PackageTree> {
  const dir = join(root, p.name);
  // Retries: a container of a killed run may still be writing here for a moment.
  await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  if (p.kind === 'rpms') return preparePrebuilt(ctx, p, dir);
  await mkdir(join(dir, 'SPECS'), { recursive: true });
  await mkdir(join(dir, 'SOURCES'), { recursive: true });
  const pending: PackageTree['pending'] = p.patches.map((file) => ({ file, role: 'patch' as const }));
  if (p.kind === 'spec') {
    const spec = join(dir, 'SPECS', basename(p.spec!));
    await copyInput(p.name, p.spec!, spec);
    for (const s of p.sources) pending.push({ file: await fetchFile(ctx, p, s), role: 'source' });
    return { name: p.name, dir, spec, pending, origin: p.spec! };
  }
  if (p.kind === 'srpm') {
    const srpm = await fetchFile(ctx, p, p.srpm!);
    await assertRpmKind(p.name, srpm.path, 'source');
    let spec = await unpackSrpm(ctx, p, srpm.path, dir);
    if (p.spec) {
      // Our spec replaces the SRPM's; the SRPM's sources stay, ours are added like a spec package's.
      await rm(spec);
      spec = join(dir, 'SPECS', basename(p.spec));
      await copyInput(p.name, p.spec, spec);
      for (const s of p.sources) pending.push({ file: await fetchFile(ctx, p, s), role: 'source' });
    }
    return { name: p.name, dir, spec, pending, origin: p.spec ?? srpm.path, inputs: await specPatchDigests(p) };
  }
  const tarball = await fetchFile(ctx, p, p.tarball!);
  const spec = await specFromTarball(ctx, p.name, tarball.path, dir);
  await copyInput(p.name, tarball.path, join(dir, 'SOURCES', tarball.fileName));
  return { name: p.name, dir, spec, pending, origin: tarball.path };
}

/**
 * Prebuilt binary RPMs: fetched (a url by its sha256; validate makes a path carry one too), checked to be
 * binary RPMs by their lead, copied under the N-V-R.A.rpm name their header gives (what pkgList and
 * excludePatterns read), and their names and Provides read from the headers.
 */
async function preparePrebuilt(ctx: Context, p: ResolvedPackage, dir: string): Promise<PackageTree> {
  const rpmsDir = join(dir, PREBUILT_DIR);
  await mkdir(rpmsDir, { recursive: true });
  const files: string[] = [];
  for (const source of p.rpms ?? []) {
    if (!source.sha256) throw new DiracosError(`package '${p.name}': a prebuilt RPM needs a sha256 (it enters the repository as it is)`);
    const fetched = await fetchFile(ctx, p, source);
    await assertRpmKind(p.name, fetched.path, 'binary');
    files.push(fetched.path);
  }
  if (files.length === 0) throw new DiracosError(`package '${p.name}': rpms lists no RPM`);
  ctx.tools.share(...files);
  const qf = '@@%{NAME}\t%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}.rpm\n[%{PROVIDENEVRS}\n]';
  const out = (await ctx.tools.exec('rpm', ['-qp', '--nosignature', '--nodigest', '--qf', qf, ...files])).stdout;
  const prebuilt: PrebuiltRpms = { subpackages: [], provides: {} };
  for (const line of out.split('\n')) {
    if (line.startsWith('@@')) {
      const [name, file] = line.slice(2).split('\t') as [string, string];
      prebuilt.subpackages.push({ name, file });
      prebuilt.provides[name] ??= [name];
    } else if (line.trim() !== '' && prebuilt.subpackages.length > 0) {
      const current = prebuilt.provides[prebuilt.subpackages.at(-1)!.name]!;
      const cap = capabilityName(line);
      if (!current.includes(cap)) current.push(cap);
    }
  }
  if (prebuilt.subpackages.length !== files.length) {
    throw new DiracosError(`package '${p.name}': rpm read ${prebuilt.subpackages.length} header(s) from ${files.length} RPM(s)`);
  }
  const names = new Set<string>();
  for (const [i, sub] of prebuilt.subpackages.entries()) {
    if (names.has(sub.file)) throw new DiracosError(`package '${p.name}': two of its RPMs are ${sub.file}`, { file: files[i]! });
    names.add(sub.file);
    await copyInput(p.name, files[i]!, join(rpmsDir, sub.file));
  }
  return { name: p.name, dir, spec: '', pending: [], origin: files[0]!, prebuilt };
}

/** The RPMs a prebuilt package puts into the repository (what a build would have produced). */
export async function prebuiltOutput(tree: PackageTree): Promise<{ binary: string[]; source: string[] }> {
  const dir = join(tree.dir, PREBUILT_DIR);
  return { binary: (await readdir(dir)).filter((f) => f.endsWith('.rpm')).sort().map((f) => join(dir, f)), source: [] };
}

/** sha256 of each spec patch, in order: part of the key beside the patched spec. */
async function specPatchDigests(p: ResolvedPackage): Promise<Record<string, string> | undefined> {
  if (!p.specPatches?.length) return undefined;
  const out: Record<string, string> = {};
  for (const [i, f] of p.specPatches.entries()) out[`specPatches/${i}-${basename(f)}`] = await sha256File(f);
  return out;
}

/** A spec's SourceN / PatchN file names, from `rpmspec -P` output. */
export function specSourceNames(parsedSpec: string): Array<{ role: 'source' | 'patch'; n: number; name: string }> {
  const out: Array<{ role: 'source' | 'patch'; n: number; name: string }> = [];
  let auto = { source: 0, patch: 0 };
  for (const line of parsedSpec.split('\n')) {
    const m = /^(Source|Patch)(\d*)\s*:\s*(\S+)\s*$/i.exec(line);
    if (!m) continue;
    const role = m[1]!.toLowerCase() as 'source' | 'patch';
    const n = m[2] ? Number(m[2]) : auto[role];
    auto = { ...auto, [role]: n + 1 };
    // rpm takes the last path component of the URL; `#/name` renames a download.
    out.push({ role, n, name: m[3]!.replace(/\/+$/, '').split('/').pop()! });
  }
  // Sources before patches, each by number.
  return out.sort((a, b) => (a.role === b.role ? a.n - b.n : a.role === 'source' ? -1 : 1));
}

/**
 * Puts each pending source under the name its SourceN/PatchN line expects: a file already named so goes
 * there; the others fill the remaining SourceN (PatchN) in order; a missing name may sit next to the spec.
 */
export async function placeSources(tree: PackageTree, parsedSpec: string): Promise<void> {
  const expected = specSourceNames(parsedSpec);
  const sources = join(tree.dir, 'SOURCES');
  const present = new Set(await readdir(sources));
  const pending = tree.pending.map((p) => ({ ...p, path: typeof p.file === 'string' ? p.file : p.file.path, fileName: typeof p.file === 'string' ? basename(p.file) : p.file.fileName }));
  const open = expected.filter((e) => !present.has(e.name));
  const place = async (from: string, name: string) => {
    await copyInput(tree.name, from, join(sources, name));
    present.add(name);
  };
  for (const p of [...pending]) {
    const i = open.findIndex((e) => e.name === p.fileName);
    if (i < 0) continue;
    await place(p.path, p.fileName);
    open.splice(i, 1);
    pending.splice(pending.indexOf(p), 1);
  }
  for (const p of pending) {
    const i = open.findIndex((e) => e.role === p.role);
    if (i >= 0) {
      await place(p.path, open[i]!.name);
      open.splice(i, 1);
    } else {
      await place(p.path, p.fileName);
    }
  }
  const missing: string[] = [];
  for (const e of open) {
    const beside = join(dirname(tree.origin), e.name);
    if (await isFile(beside)) await place(beside, e.name);
    else missing.push(`${e.role === 'source' ? 'Source' : 'Patch'}${e.n}: ${e.name}`);
  }
  if (missing.length > 0) {
    throw new DiracosError(`package '${tree.name}': the spec needs ${missing.join(', ')}, which no source or patch of the manifest provides`, {
      file: tree.origin,
    });
  }
}

/** name -> sha256 of every file in the tree's SPECS and SOURCES (the package's own inputs). */
export async function treeDigests(tree: PackageTree): Promise<Record<string, string>> {
  const out: Record<string, string> = { ...tree.inputs };
  for (const sub of tree.prebuilt ? [PREBUILT_DIR] : ['SPECS', 'SOURCES']) {
    for (const f of (await readdir(join(tree.dir, sub))).sort()) {
      const path = join(tree.dir, sub, f);
      if (await isFile(path)) out[`${sub}/${f}`] = await sha256File(path);
    }
  }
  return out;
}

async function fetchFile(ctx: Context, p: ResolvedPackage, spec: Parameters<typeof fetchSource>[1]): Promise<FetchedSource> {
  const fetched = await fetchSource(ctx, spec).catch((e: unknown) => {
    throw e instanceof DiracosError && !(e instanceof ExecError) ? new DiracosError(`package '${p.name}': ${e.message}`) : e;
  });
  if (!(await isFile(fetched.path))) throw new DiracosError(`package '${p.name}': source '${fetched.path}' is not a file`);
  return fetched;
}

async function copyInput(name: string, from: string, to: string): Promise<void> {
  try {
    await copyFile(from, to);
  } catch (e) {
    throw new DiracosError(`package '${name}': cannot copy '${from}': ${(e as Error).message}`, { file: from });
  }
}

/**
 * The SRPM unpacked flat (spec and sources side by side, as rpm2cpio gives them), its spec patches
 * applied there with `patch -p1` (so a patch may edit the spec and add files, as in DIRACOS v1), then
 * sorted into SPECS/ and SOURCES/.
 */
async function unpackSrpm(ctx: Context, p: ResolvedPackage, srpm: string, dir: string): Promise<string> {
  const tmp = await mkdtemp(join(dir, 'srpm-'));
  // The tools may run in a container: it must see the SRPM's folder (a path source sits in the manifest's).
  ctx.tools.share(dirname(srpm));
  try {
    ctx.tools.share(srpm);
    await ctx.tools.exec('bash', ['-o', 'pipefail', '-c', 'rpm2cpio "$1" | cpio -idm --quiet --no-absolute-filenames', 'unpack-srpm', srpm], { cwd: tmp });
    for (const patch of p.specPatches ?? []) await applySpecPatch(ctx, p.name, patch, srpm, tmp);
    const files = await readdir(tmp);
    const specs = files.filter((f) => f.endsWith('.spec'));
    if (specs.length !== 1) throw new DiracosError(`package '${p.name}': the SRPM holds ${specs.length} spec files (expected one)`, { file: srpm });
    for (const f of files) await rename(join(tmp, f), join(dir, f.endsWith('.spec') ? 'SPECS' : 'SOURCES', f));
    return join(dir, 'SPECS', specs[0]!);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** `patch -p1` in the unpacked SRPM; a patch that does not apply is an error naming the package and the patch, with patch's output. */
async function applySpecPatch(ctx: Context, name: string, patch: string, srpm: string, dir: string): Promise<void> {
  ctx.tools.share(patch);
  const r = await ctx.tools.exec('patch', ['-p1', '--batch', '--forward', '--no-backup-if-mismatch', '--reject-file=-', '-i', patch], { cwd: dir, allowFailure: true });
  if (r.exitCode === 0) return;
  const output = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-15).join('\n');
  throw new DiracosError(`package '${name}': spec patch ${patch} does not apply to ${basename(srpm)} (patch -p1 in the unpacked SRPM, exit ${r.exitCode}):\n${output}`, {
    file: patch,
  });
}

/** The tarball's spec, as `rpmbuild -ta` picks it: the shallowest *.spec member. */
async function specFromTarball(ctx: Context, name: string, tarball: string, dir: string): Promise<string> {
  ctx.tools.share(tarball);
  const members = (await ctx.tools.exec('tar', ['-tf', tarball])).stdout.split('\n').filter((m) => m.endsWith('.spec'));
  const member = members.sort((a, b) => a.split('/').length - b.split('/').length)[0];
  if (!member) throw new DiracosError(`package '${name}': the tarball holds no .spec file`, { file: tarball });
  const text = (await ctx.tools.exec('tar', ['-xOf', tarball, member])).stdout;
  const spec = join(dir, 'SPECS', basename(member));
  await writeFile(spec, text);
  return spec;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}
