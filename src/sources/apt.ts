import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { DiracosError } from '../shared/errors.js';
import { ExecError } from '../shared/exec.js';
import { sha256String } from '../shared/hash.js';
import { debSrcStanzas, parseDeb822, readSystemRepositories, SYSTEM_APT_SOURCES } from './debSources.js';
import { checkFileName, commit, entryDir, entryFiles, lookup, removeStaleTemps, TEMP_PREFIX } from './store.js';
import type { FetchedSource, SourceContext } from './types.js';

/**
 * Upstream tarballs of Debian source packages, fetched with `apt-get source --download-only`
 * under an apt configuration of our own (in the download cache), so the system's apt
 * sources are never touched. Its deb-src entries mirror the system's repositories.
 */

/** What apt fetches: a source package (at a version), checked against sha256 when there is one (not when locking). */
export type AptSpec = { apt: string; version?: string; sha256?: string; fileName?: string };

export interface AptOptions {
  /** Files the system's repositories are read from (first that exists); default SYSTEM_APT_SOURCES. */
  sourcesFiles?: readonly string[];
}

/**
 * Which file of a source package is its upstream tarball, in order of preference: the main
 * orig tarball (not an `.orig-COMPONENT` one), else a native package's own tarball.
 */
export const UPSTREAM_TARBALL_RULES: ReadonlyArray<{ kind: 'orig' | 'native'; pattern: RegExp }> = [
  { kind: 'orig', pattern: /^[^_/]+_[^_/]+\.orig\.tar\.[a-z0-9]+$/ },
  { kind: 'native', pattern: /^[^_/]+_(?![^_/]*\.(?:debian|orig)[.-])[^_/]+\.tar\.[a-z0-9]+$/ },
];

export function pickUpstreamTarball(names: readonly string[]): string | undefined {
  for (const rule of UPSTREAM_TARBALL_RULES) {
    const hit = names.filter((n) => rule.pattern.test(n)).sort()[0];
    if (hit) return hit;
  }
  return undefined;
}

export async function fetchApt(ctx: SourceContext, spec: AptSpec, options: AptOptions = {}): Promise<Omit<FetchedSource, 'spec'>> {
  const request = spec.version ? `${spec.apt}=${spec.version}` : spec.apt;
  const what = `apt source ${request}`;
  if (spec.fileName) checkFileName(spec.fileName, what);

  const hit = spec.sha256 && (await cacheHit(ctx, spec.sha256, spec.fileName));
  if (hit) return hit;

  const args = await aptArgs(ctx, options);
  const tmpRoot = join(ctx.downloadCache, 'tmp');
  await mkdir(tmpRoot, { recursive: true });
  await removeStaleTemps(tmpRoot, 'apt-');
  const work = await mkdtemp(join(tmpRoot, `apt-${process.pid}-`));
  try {
    ctx.reporter.info(`downloading Debian source package ${request}`);
    try {
      await ctx.exec('apt-get', [...args, '-q', 'source', '--download-only', request], { cwd: work });
    } catch (e) {
      if (e instanceof ExecError) throw new DiracosError(`${what}: apt-get source failed:\n${tail(e.stderr)}`);
      throw e;
    }
    const { debian, files } = await readDsc(work, what);
    const picked = pickUpstreamTarball(files);
    if (!picked) throw new DiracosError(`${what}: no upstream tarball among ${files.join(', ')}`);
    const fileName = spec.fileName ?? picked;
    const { path, sha256 } = await commit(ctx.downloadCache, spec.sha256, fileName, `${what} (${picked})`, (temp) =>
      rename(join(work, picked), temp),
    );
    await writeMarker(ctx.downloadCache, sha256, fileName, debian);
    return { path, fileName, sha256, debian };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A verified tarball already in the cache needs neither apt nor the network. */
async function cacheHit(ctx: SourceContext, sha256: string, named: string | undefined): Promise<Omit<FetchedSource, 'spec'> | undefined> {
  const fileName = named ?? pickUpstreamTarball(await entryFiles(ctx.downloadCache, sha256));
  if (!fileName) return undefined;
  const path = await lookup(ctx.downloadCache, sha256, fileName, ctx.reporter);
  if (!path) return undefined;
  ctx.reporter.debug(`${fileName}: in the download cache`);
  const debian = await readMarker(ctx.downloadCache, sha256, fileName);
  return { path, fileName, sha256, ...(debian ? { debian } : {}) };
}

/** The one .dsc apt downloaded, read. */
async function readDsc(dir: string, what: string): Promise<DscInfo> {
  const dscs = (await readdir(dir)).filter((n) => n.endsWith('.dsc'));
  if (dscs.length !== 1) throw new DiracosError(`${what}: expected one .dsc from apt-get source, got ${dscs.length}`);
  const info = parseDsc(await readFile(join(dir, dscs[0]), 'utf8'));
  if (!info) throw new DiracosError(`${what}: ${dscs[0]} has no Source/Version fields`);
  return info;
}

export interface DscInfo {
  debian: { package: string; version: string };
  /** The files the source package consists of (tarballs, not the .dsc itself). */
  files: string[];
}

/** A source package's name, version and file list from its .dsc text (signed or not). */
export function parseDsc(text: string): DscInfo | undefined {
  // A signed .dsc starts with a PGP armor header "stanza"; the fields are the one naming Source and Version.
  const dsc = parseDeb822(text).find((s) => s.source && s.version);
  if (!dsc) return undefined;
  const files = (dsc['checksums-sha256'] ?? dsc.files ?? '')
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[2])
    .filter((n): n is string => Boolean(n));
  return { debian: { package: dsc.source, version: dsc.version }, files };
}

// Which Debian package a cached tarball came from, kept beside it (hidden names are not cache files).
const markerPath = (cache: string, sha256: string, fileName: string) => join(entryDir(cache, sha256), `.apt-${fileName}.json`);

async function writeMarker(cache: string, sha256: string, fileName: string, debian: { package: string; version: string }) {
  const temp = join(entryDir(cache, sha256), `${TEMP_PREFIX}${process.pid}-marker-${fileName}`);
  await writeFile(temp, JSON.stringify(debian));
  await rename(temp, markerPath(cache, sha256, fileName));
}

async function readMarker(cache: string, sha256: string, fileName: string): Promise<{ package: string; version: string } | undefined> {
  try {
    return JSON.parse(await readFile(markerPath(cache, sha256, fileName), 'utf8')) as { package: string; version: string };
  } catch {
    return undefined;
  }
}

/** One `apt-get update` per apt state folder and process, started on first use and shared. */
const updates = new Map<string, Promise<void>>();

/**
 * apt-get options that point apt at a state folder of ours: a deb-src list derived from the
 * system's repositories, our own package lists and cache. The folder is keyed by the list's
 * content, so a changed system configuration gets fresh lists.
 */
export async function aptArgs(ctx: SourceContext, options: AptOptions = {}): Promise<string[]> {
  const files = options.sourcesFiles ?? SYSTEM_APT_SOURCES;
  const repos = await readSystemRepositories(files);
  if (!repos.length) throw new DiracosError(`apt sources: no Debian repositories found in ${files.join(', ')}`);
  const list = debSrcStanzas(repos);
  const state = join(ctx.downloadCache, 'apt', sha256String(list).slice(0, 16));
  const sourceList = join(state, 'diracos-src.sources');
  const args = [
    '-o', `Dir::Etc::SourceList=${sourceList}`,
    '-o', 'Dir::Etc::SourceParts=-',
    '-o', `Dir::State::Lists=${join(state, 'lists')}`,
    '-o', `Dir::Cache=${join(state, 'cache')}`,
    // Our folders are not readable by apt's _apt sandbox user; download as whoever runs us.
    '-o', `APT::Sandbox::User=${userInfo().username}`,
  ];
  let update = updates.get(state);
  if (!update) {
    update = (async () => {
      await mkdir(join(state, 'lists', 'partial'), { recursive: true });
      await mkdir(join(state, 'cache', 'archives', 'partial'), { recursive: true });
      await writeFile(`${sourceList}.${process.pid}.tmp`, list);
      await rename(`${sourceList}.${process.pid}.tmp`, sourceList);
      ctx.reporter.info(`apt-get update of the system's repositories as deb-src, in ${state}`);
      try {
        await ctx.exec('apt-get', [...args, '-q', 'update']);
      } catch (e) {
        if (e instanceof ExecError) throw new DiracosError(`apt sources: apt-get update failed:\n${tail(e.stderr)}`);
        throw e;
      }
    })();
    updates.set(state, update);
    // A failed update is retried by the next caller rather than remembered.
    update.catch(() => updates.delete(state));
  }
  await update;
  return args;
}

const tail = (text: string) => text.trim().split('\n').slice(-10).join('\n');
