/**
 * The bundle's content key, and the record of the tarball made for it (`bundle-key.json` beside the
 * outputs): a re-run whose key is recorded, with the tarball still there and matching the recorded
 * sha256, makes nothing and returns the recorded tarball.
 *
 * The key's inputs: every package of the repository index that may be shipped (its name, content key
 * and RPM files: the closure is solved from exactly these), the manifest's bundle section, the pip
 * inputs (requirement strings and options, and the content of every local input as pip is given it),
 * version, arch, SOURCE_DATE_EPOCH and compression, the build platform (its spec and the id of its
 * prepared image: pip, grafts and link copies come from there), the target platforms' families (what
 * hosts provide), the rule tables the stage reads, the diracosrc it writes, and BUNDLE_KEY_VERSION for
 * the rest of its code. Not in it: what an index or a base repository would serve today for a
 * requirement or a package that is not pinned to a file; force rebuilds.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { LoadedManifest } from '../manifest/load.js';
import { readIndex } from '../repo/index-file.js';
import { repoLayout } from '../repo/layout.js';
import { hostProvidedByAll } from '../rules/host-libraries.js';
import { LINK_COPY_MODES, LINK_COPY_POLICY } from '../rules/link-policy.js';
import { ContainerRuntime } from '../runtime/container.js';
import type { Compression } from '../shared/bundle-names.js';
import type { Context } from '../shared/context.js';
import { sha256File, sha256Object, sha256String } from '../shared/hash.js';
import { GRAFT_SEARCH_DIRS, HOST_CAPABILITIES, HOST_PACKAGES } from './host-provides-rules.js';
import { PIP_INPUT_LEFT_OUT, pipLocalInputs } from './pip.js';
import { renderDiracosrc } from './relocate.js';

/** Bump when the stage changes what it makes in a way the key's inputs do not show. */
export const BUNDLE_KEY_VERSION = 3;

/** The record beside the outputs. */
export const BUNDLE_RECORD = 'bundle-key.json';

export interface BundleRecord {
  key: string;
  /** File names in the output folder: the tarball first, then its .sha256, .md5 and versions.txt. */
  files: string[];
  sha256: string;
  builtAt: string;
  /** The row of the stage's summary table when it was made (shown again when it is reused). */
  summary: string[];
}

/**
 * Content of a local pip input as it is staged for pip (symlinks followed, build output left out):
 * relative path, executable bit and sha256 of every file.
 */
export function treeDigest(path: string): string {
  const entries: string[] = [];
  const walk = (abs: string, rel: string, depth: number): void => {
    if (depth > 64) throw new Error(`${abs}: too deep (a symlink loop?)`);
    const st = statSync(abs);
    if (st.isDirectory()) {
      entries.push(`d ${rel}`);
      for (const name of readdirSync(abs).sort()) {
        const child = join(abs, name);
        if (!PIP_INPUT_LEFT_OUT.test(child)) walk(child, rel ? `${rel}/${name}` : name, depth + 1);
      }
    } else {
      entries.push(`f ${rel} ${(st.mode & 0o111) !== 0 ? 'x' : '-'} ${sha256String(readFileSync(abs))}`);
    }
  };
  walk(path, '', 0);
  return sha256String(entries.join('\n'));
}

/** A file's name with its size and modification time ('missing' when it is not there). */
function fileStamp(path: string, name: string): string {
  try {
    const st = statSync(path);
    return `${name} ${st.size} ${st.mtimeMs}`;
  } catch {
    return `${name} missing`;
  }
}

/**
 * The key, or undefined when the build platform cannot be identified (the host runtime: this machine
 * is the build platform, and it changes without telling); such a bundle is always made.
 */
export async function bundleKey(ctx: Context, m: LoadedManifest, o: { epoch: number; compression: Compression }): Promise<string | undefined> {
  if (!(ctx.runtime instanceof ContainerRuntime)) return undefined;
  const platform = m.buildPlatform;
  const image = await ctx.runtime.prepareImage(platform.image, platform.setup ?? []);
  const imageId = await ctx.runtime.imageId(image);
  if (!imageId) return undefined;
  const index = await readIndex(repoLayout(m.repository, m.arch).index);
  const packages = Object.fromEntries(
    Object.entries(index.packages)
      .filter(([, e]) => !e.buildOnly)
      // size and time of each file too: an RPM changed in place (tampered, or copied over) is read again
      .map(([name, e]) => [name, { key: e.key, rpms: [...e.rpms].sort().map((r) => fileStamp(join(m.repository, r), r)) }]),
  );
  const { pip, ...bundle } = m.manifest.bundle ?? {};
  const local = pip ? Object.fromEntries(pipLocalInputs(pip).map((rel) => [rel, existsSync(resolve(m.dir, rel)) ? treeDigest(resolve(m.dir, rel)) : 'missing'])) : {};
  const families = [...new Set(m.manifest.platforms.map((p) => p.family))].sort();
  return sha256Object({
    v: BUNDLE_KEY_VERSION,
    version: m.manifest.version,
    arch: m.arch,
    epoch: o.epoch,
    compression: o.compression,
    packages,
    bundle,
    pip: pip ? { ...pip, local } : undefined,
    buildPlatform: { ...platform, imageId, runtime: ctx.runtime.name },
    families,
    rules: {
      hostSonames: hostProvidedByAll(families),
      hostCapabilities: HOST_CAPABILITIES,
      hostPackages: HOST_PACKAGES,
      graftDirs: GRAFT_SEARCH_DIRS,
      linkPolicy: { ...LINK_COPY_POLICY, forbiddenFiles: LINK_COPY_POLICY.forbiddenFiles.map((f) => ({ ...f, pattern: String(f.pattern) })) },
      linkModes: LINK_COPY_MODES,
    },
    diracosrc: renderDiracosrc(m.manifest.bundle?.environment ?? {}, 'bundle.environment'),
  });
}

/** The recorded tarball of `key` in `outDir` when it is complete and unchanged (its sha256 checked), else undefined. */
export async function recordedBundle(outDir: string, key: string): Promise<BundleRecord | undefined> {
  let record: BundleRecord;
  try {
    record = JSON.parse(await readFile(join(outDir, BUNDLE_RECORD), 'utf8')) as BundleRecord;
  } catch {
    return undefined;
  }
  if (record.key !== key || !Array.isArray(record.files) || record.files.length === 0 || !Array.isArray(record.summary)) return undefined;
  if (!record.files.every((f) => basename(f) === f && existsSync(join(outDir, f)))) return undefined;
  return (await sha256File(join(outDir, record.files[0]!))) === record.sha256 ? record : undefined;
}

/** Forgets the record (before the outputs are replaced: a half-replaced set must never look recorded). */
export async function dropRecord(outDir: string): Promise<void> {
  await rm(join(outDir, BUNDLE_RECORD), { force: true });
}

export async function writeRecord(outDir: string, record: BundleRecord): Promise<void> {
  const file = join(outDir, BUNDLE_RECORD);
  await writeFile(`${file}.partial`, JSON.stringify(record, null, 2) + '\n');
  await rename(`${file}.partial`, file);
}
