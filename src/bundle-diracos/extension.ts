/**
 * DIRACOS extensions (v1's dos-build-extension): a base DIRACOS tarball plus the manifest's
 * `bundle.pip` requirements (no RPMs), re-relocated and packed as `<name>diracos-<version>-<arch>.tar.gz`
 * with the top directory of that name. Same rules as the main stage: libraries of the base's ignored
 * packages (its hostLibraries.txt) stay left to the host, the mode pass, and the outputs published as
 * one set (publish.ts). The published versions.txt lists what the extension adds (the pip
 * distributions the base does not have at that version); the one inside the tarball, what it holds.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { LoadedManifest } from '../manifest/load.js';
import { sourceDateEpoch } from '../manifest/source-date-epoch.js';
import { HOST_LIBRARIES_FILE, hostProvidedByAll, parseHostLibrariesFile, renderHostLibrariesFile } from '../rules/host-libraries.js';
import type { Compression } from '../shared/bundle-names.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';
import { openBuildRoot } from './build-root.js';
import { completeLibraries } from './graft.js';
import { linkPass } from './links.js';
import { describeModeChange, stripModes } from './modes.js';
import { assertNoBuildPath, hasPipWork, pipInstall, refreshRecords } from './pip.js';
import { publishSet, removeStaleSets, stagingFolder } from './publish.js';
import { relocateElves, relocateShebangs } from './relocate.js';
import { makeTarball } from './tarball.js';
import { renderVersions, writeVersions } from './versions.js';
import { walkTree } from './walk.js';

export interface ExtensionOptions {
  baseTarball: string;
  /** Extension name, prepended to the tarball's name and top directory. */
  name: string;
  /** Instead of the manifest's bundle.pip requirements and requirementsFile (its index, find-links and no-index apply). */
  requirements?: string[];
  outDir: string;
  compression?: Compression;
}

export interface ExtensionResult {
  tarball: string;
  sha256: string;
  size: number;
  /** tarball, .sha256, .md5, versions.txt (what the extension adds) */
  files: string[];
  /** The pip distributions the extension adds (`name==version`). */
  added: string[];
  /** Always made again (the stage's content key covers the repository's bundle only). */
  cached: false;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A distribution's `name==version` with the name as pip compares it (PEP 503: lower case, runs of -_. as -). */
export function distributionKey(line: string): string {
  const [name = '', version = ''] = line.split('==');
  return `${name.trim().toLowerCase().replace(/[-_.]+/g, '-')}==${version.trim()}`;
}

/** `Name: x` and `Version: y` of a METADATA / PKG-INFO text. */
function nameAndVersion(text: string): string | undefined {
  const name = /^Name:\s*(\S+)/m.exec(text)?.[1];
  const version = /^Version:\s*(\S+)/m.exec(text)?.[1];
  return name && version ? `${name}==${version}` : undefined;
}

/** The distributions installed in the tree's site-packages folders (what pip list reports), as distributionKey. */
export function installedDistributions(root: string): Set<string> {
  const out = new Set<string>();
  for (const e of walkTree(root, 'usr')) {
    if (posix.basename(posix.dirname(e.rel)) !== 'site-packages') continue;
    let meta: string | undefined;
    if (e.rel.endsWith('.dist-info') && e.stat.isDirectory()) meta = join(e.path, 'METADATA');
    else if (e.rel.endsWith('.egg-info')) meta = e.stat.isDirectory() ? join(e.path, 'PKG-INFO') : e.path;
    if (!meta || !existsSync(meta) || !statSync(meta).isFile()) continue;
    const line = nameAndVersion(readFileSync(meta, 'utf8'));
    if (line) out.add(distributionKey(line));
  }
  return out;
}

/** The RPM lines of a versions.txt (before its `# pip` section). */
function rpmLines(versions: string): string[] {
  return versions.split('# pip')[0]!.split('\n').map((l) => l.trim()).filter(Boolean);
}

export async function bundleExtension(ctx: Context, m: LoadedManifest, o: ExtensionOptions): Promise<ExtensionResult> {
  if (!NAME.test(o.name)) throw new DiracosError(`extension name '${o.name}' may hold only letters, digits, '.', '_' and '-'`);
  if (!existsSync(o.baseTarball) || !statSync(o.baseTarball).isFile()) throw new DiracosError(`extension '${o.name}': the base tarball ${o.baseTarball} is not a file`);
  const cfg = m.manifest.bundle ?? {};
  const pip = o.requirements ? { ...cfg.pip, requirements: o.requirements, requirementsFile: undefined } : cfg.pip;
  if (!hasPipWork(pip)) {
    throw new DiracosError(`extension '${o.name}': nothing to add: bundle.pip names no requirements (an extension is its base tarball plus these)`, { file: m.file });
  }
  const work = join(ctx.workdir, 'bundle-extension', `${o.name}.tmp-${process.pid}`);
  await rm(work, { recursive: true, force: true });
  await mkdir(join(work, 'tree'), { recursive: true });
  await mkdir(dirname(o.outDir), { recursive: true });
  // The output folder's parent, not the folder: it is a link published at the end (publish.ts).
  ctx.tools.share(work, o.baseTarball, dirname(o.outDir));
  await removeStaleSets(o.outDir);
  const staging = await stagingFolder(o.outDir);
  const buildRoot = await openBuildRoot(ctx, m);
  try {
    await ctx.tools.exec('tar', ['-xf', o.baseTarball, '-C', join(work, 'tree'), '--no-same-owner']);
    const tops = await readdir(join(work, 'tree'));
    if (tops.length !== 1) throw new DiracosError(`${o.baseTarball}: expected one top directory, found ${tops.length}`, { file: o.baseTarball });
    const root = join(work, 'tree', tops[0]!);
    const base = installedDistributions(root);
    const epoch = sourceDateEpoch(m);
    const platform = { image: buildRoot.image, env: m.buildPlatform.env };
    const { freeze } = await pipInstall(ctx, root, pip, { manifestDir: m.dir, epoch, stageDir: work, platform, source: `extension ${o.name}` });
    const added = freeze.filter((l) => !base.has(distributionKey(l)));
    ctx.reporter.info(`extension ${o.name} adds: ${added.join(', ') || 'nothing new (every requirement is in the base at that version)'}`);
    linkPass(root, { buildRoot: buildRoot.path });
    // The base's libraries left to the host stay so (and are never grafted), for what pip added too.
    const hostFile = join(root, HOST_LIBRARIES_FILE);
    const ignored = new Map(existsSync(hostFile) ? parseHostLibrariesFile(readFileSync(hostFile, 'utf8')).map((l) => [l.soname, l.package] as const) : []);
    const hostSonames = hostProvidedByAll([...new Set(m.manifest.platforms.map((p) => p.family))]);
    const { leftToHost } = completeLibraries(root, { hostSonames, ignored, graft: cfg.graftLibraries ?? false, buildRoot: buildRoot.path, buildRootName: buildRoot.source });
    if (existsSync(hostFile) || leftToHost.length > 0) await writeFile(hostFile, renderHostLibrariesFile(leftToHost));
    await relocateElves(ctx.tools.exec, root);
    refreshRecords(root, relocateShebangs(root));
    assertNoBuildPath(root);
    // Inside: what the tree holds (the base's RPMs, every pip distribution); beside: what it adds.
    const baseVersions = join(root, 'versions.txt');
    writeVersions(baseVersions, renderVersions(existsSync(baseVersions) ? rpmLines(readFileSync(baseVersions, 'utf8')) : [], freeze));
    for (const c of stripModes(root)) ctx.reporter.warning(`extension ${o.name}: ${describeModeChange(c)}`);
    const versions = renderVersions([], added);
    writeVersions(join(staging, 'versions.txt'), versions);
    const tar = await makeTarball(ctx.tools.exec, root, staging, {
      version: m.manifest.version,
      arch: m.arch,
      epoch,
      compression: o.compression ?? cfg.compression ?? 'gzip',
      jobs: ctx.jobs,
      prefix: o.name,
    });
    const name = posix.basename(tar.path);
    await publishSet(staging, o.outDir, tar.sha256.slice(0, 16));
    const tarball = join(o.outDir, name);
    return { tarball, sha256: tar.sha256, size: (await stat(tarball)).size, files: [tarball, `${tarball}.sha256`, `${tarball}.md5`, join(o.outDir, 'versions.txt')], added, cached: false };
  } finally {
    await rm(work, { recursive: true, force: true });
    await rm(staging, { recursive: true, force: true });
  }
}
