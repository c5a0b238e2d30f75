/**
 * The bundle-diracos stage: the RPM repository -> one relocatable tarball laid out like a root
 * filesystem. Closure (dnf) -> checked extraction -> pip -> removedFolders -> link pass -> ELF
 * completeness (graft or fail) -> RPATHs and shebangs -> diracosrc -> reproducible tarball.
 * Everything happens in a temp root and a staging folder next to the outputs; the outputs are renamed
 * into place at the end (the tarball last), so an interrupted run leaves nothing partial.
 */
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { LoadedManifest } from '../manifest/load.js';
import { hostProvidedByAll } from '../rules/host-libraries.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';
import type { SummaryTable } from '../reporting/reporter.js';
import { openBuildRoot } from './build-root.js';
import { bundleKey, dropRecord, recordedBundle, writeRecord } from './bundle-key.js';
import { resolveClosure, rootRpmFiles } from './closure.js';
import { extractAll, extractListed, listPayloads } from './extract.js';
import { completeLibraries } from './graft.js';
import { linkPass, type LinkPassResult } from './links.js';
import { assertNoBuildPath, hasPipWork, pipInstall, refreshRecords } from './pip.js';
import { relocateElves, relocateShebangs, renderDiracosrc } from './relocate.js';
import { makeTarball, type Compression } from './tarball.js';
import { renderVersions, writeVersions } from './versions.js';

export { bundleExtension, type ExtensionOptions } from './extension.js';
export { closureRoots, hostProvides, resolveClosure, type Closure } from './closure.js';

export interface BundleOptions {
  outDir: string;
  compression?: Compression;
  /** Make the tarball even when the one recorded in outDir has the same content key. */
  force?: boolean;
}

export interface BundleResult {
  tarball: string;
  sha256: string;
  size: number;
  /** tarball, .sha256, .md5, versions.txt */
  files: string[];
  /** The content key (see bundle-key.ts); undefined with the host runtime. */
  key?: string;
  /** The tarball recorded for this key was reused: nothing was made. */
  cached: boolean;
}

const ROOT_PREFIX = 'root.tmp-';
const STAGING_PREFIX = '.bundle-diracos-tmp-';

/** SOURCE_DATE_EPOCH of the tarball: the manifest's, else the environment's, else 0. */
export function bundleEpoch(m: LoadedManifest, env: NodeJS.ProcessEnv = process.env): number {
  if (m.manifest.sourceDateEpoch !== undefined) return m.manifest.sourceDateEpoch;
  const fromEnv = env.SOURCE_DATE_EPOCH;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!/^\d+$/.test(fromEnv)) throw new DiracosError(`SOURCE_DATE_EPOCH='${fromEnv}' is not a number of seconds`);
    return Number(fromEnv);
  }
  return 0;
}

/** Removes the manifest's removedFolders (bundle-relative; none may leave the bundle). */
export async function removeFolders(root: string, folders: readonly string[], file: string): Promise<void> {
  for (const f of folders) {
    const rel = posix.normalize(f.replace(/^\/+/, ''));
    if (rel === '.' || rel === '' || rel.startsWith('..')) {
      throw new DiracosError(`bundle.removedFolders: '${f}' is not a folder inside the bundle`, { file });
    }
    await rm(join(root, rel), { recursive: true, force: true });
  }
}

/** Each link the pass removed, with why: brokenLinks.txt holds them too. */
export function reportBrokenLinks(ctx: Context, links: LinkPassResult): void {
  for (const line of links.broken) ctx.reporter.warning(`bundle-diracos: removed the link /${line} (${links.why[line]}); listed in brokenLinks.txt`);
}

/** The stage's summary: what the tarball holds, and whether it was made now or reused. */
function summaryTable(status: 'built' | 'cached', row: readonly string[]): SummaryTable {
  return {
    title: 'bundle-diracos',
    header: ['status', 'packages', 'pip', 'grafted', 'RPATHs set', 'shebangs', 'links repointed/copied/broken', 'hard links split'],
    rows: [[status, ...row]],
  };
}

/** Leftovers of an interrupted run: temp roots and staging folders. */
async function removeLeftovers(dir: string, prefix: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (name.startsWith(prefix)) await rm(join(dir, name), { recursive: true, force: true });
  }
}

/** Renames staged outputs into `outDir`, the tarball last (its presence means the rest is there). */
async function publish(staging: string, outDir: string, names: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const name of names) {
    await rename(join(staging, name), join(outDir, name));
    out.push(join(outDir, name));
  }
  return out;
}

export async function bundleDiracos(ctx: Context, m: LoadedManifest, opts: BundleOptions): Promise<BundleResult> {
  const cfg = m.manifest.bundle ?? {};
  const stageDir = join(ctx.workdir, 'bundle-diracos');
  const epoch = bundleEpoch(m);
  const compression = opts.compression ?? cfg.compression ?? 'gzip';
  await mkdir(stageDir, { recursive: true });
  await mkdir(opts.outDir, { recursive: true });
  ctx.tools.share(stageDir, opts.outDir, m.repository);
  await removeLeftovers(stageDir, ROOT_PREFIX);
  await removeLeftovers(opts.outDir, STAGING_PREFIX);
  const key = await bundleKey(ctx, m, { epoch, compression });
  const recorded = key && !opts.force ? await recordedBundle(opts.outDir, key) : undefined;
  if (key && recorded) {
    const files = recorded.files.map((f) => join(opts.outDir, f));
    ctx.reporter.info(`bundle-diracos: nothing changed since ${recorded.builtAt} (key ${key.slice(0, 12)}): reusing ${files[0]} (force makes it again)`);
    ctx.reporter.table(summaryTable('cached', recorded.summary));
    return { tarball: files[0]!, sha256: recorded.sha256, size: (await stat(files[0]!)).size, files, key, cached: true };
  }
  const root = join(stageDir, `${ROOT_PREFIX}${process.pid}`);
  const staging = join(opts.outDir, `${STAGING_PREFIX}${process.pid}`);
  await mkdir(root);
  await mkdir(staging);
  const buildRoot = await openBuildRoot(ctx, m);
  const hostSonames = hostProvidedByAll([...new Set(m.manifest.platforms.map((p) => p.family))]);
  // Seconds per phase, reported: where the stage's time goes.
  const seconds: Array<[string, number]> = [];
  const phase = async <T>(name: string, fn: () => T | Promise<T>): Promise<T> => {
    const start = process.hrtime.bigint();
    try {
      return await ctx.reporter.progress({ what: `bundling: ${name}` }, async () => fn());
    } finally {
      seconds.push([name, Number(process.hrtime.bigint() - start) / 1e9]);
    }
  };
  try {
    // While dnf solves, the roots' own RPMs (nearly the whole closure: dnf installs every root) are
    // listed, checked as a set and extracted; the rest of the closure is then checked against them.
    // Should dnf take a root from elsewhere (a newer version in a base repository), the root folder is
    // emptied and the closure extracted afresh. No payload is written before it passed the checks.
    const roots = await rootRpmFiles(m);
    const extractRoots = async () => {
      const listed = await listPayloads(ctx.tools.exec, roots, root, ctx.jobs);
      await extractListed(ctx.tools.exec, listed, root, ctx.jobs);
      return listed;
    };
    const [solved, extracted] = await phase('closure (dnf) | extract roots', () => Promise.allSettled([resolveClosure(ctx, m, { stageDir, buildRoot: buildRoot.path }), extractRoots()]));
    if (solved.status === 'rejected') throw solved.reason;
    const closure = solved.value;
    ctx.reporter.info(`bundle-diracos: ${closure.packages.length} packages in the closure`);
    const wanted = closure.packages.map((p) => p.path);
    const inClosure = new Set(wanted);
    const early = new Set(roots);
    await phase('extract the rest', async () => {
      if (roots.every((r) => inClosure.has(r))) {
        if (extracted.status === 'rejected') throw extracted.reason;
        const rest = await listPayloads(ctx.tools.exec, wanted.filter((p) => !early.has(p)), root, ctx.jobs);
        await extractListed(ctx.tools.exec, rest, root, ctx.jobs, extracted.value);
      } else {
        await rm(root, { recursive: true, force: true });
        await mkdir(root);
        await extractAll(ctx.tools.exec, wanted, root, ctx.jobs);
      }
    });

    let freeze: string[] = [];
    if (hasPipWork(cfg.pip)) {
      const pip = cfg.pip;
      const platform = { image: buildRoot.image, env: m.buildPlatform.env };
      freeze = (await phase('pip', () => pipInstall(ctx, root, pip, { manifestDir: m.dir, epoch, stageDir, platform, source: m.file }))).freeze;
    }

    await removeFolders(root, cfg.removedFolders ?? [], m.file);
    const links = await phase('link pass', () => linkPass(root, { buildRoot: buildRoot.path, brokenLinksFile: join(root, 'brokenLinks.txt') }));
    reportBrokenLinks(ctx, links);
    const grafted = await phase('ELF completeness', () => completeLibraries(root, { hostSonames, graft: cfg.graftLibraries ?? false, buildRoot: buildRoot.path, buildRootName: buildRoot.source }));
    const elves = await phase('RPATHs', () => relocateElves(ctx.tools.exec, root));
    const shebangs = await phase('shebangs', () => relocateShebangs(root));
    if (hasPipWork(cfg.pip)) {
      refreshRecords(root, shebangs);
      assertNoBuildPath(root);
    }
    await writeFile(join(root, 'diracosrc'), renderDiracosrc(cfg.environment ?? {}, m.file));

    writeVersions(join(staging, 'versions.txt'), renderVersions(closure.packages.map((p) => p.nevra), freeze));
    const tar = await phase('tar + compress + digests', () => makeTarball(ctx.tools.exec, root, staging, { version: m.manifest.version, arch: m.arch, epoch, compression, jobs: ctx.jobs }));
    const name = posix.basename(tar.path);
    await dropRecord(opts.outDir);
    const files = await publish(staging, opts.outDir, ['versions.txt', `${name}.sha256`, `${name}.md5`, name]);
    const tarball = join(opts.outDir, name);
    ctx.reporter.table({ title: 'bundle-diracos phases', header: ['phase', 'seconds'], rows: seconds.map(([p, s]) => [p, s.toFixed(1)]) });
    const summary = [
      String(closure.packages.length),
      String(freeze.length),
      grafted.map((g) => g.soname).join(' ') || '-',
      String(elves.patched.length),
      String(shebangs.length),
      `${links.repointed.length}/${links.copied.length}/${links.broken.length}`,
      String(links.hardLinksSplit.length),
    ];
    ctx.reporter.table(summaryTable('built', summary));
    const ordered = [files[3]!, files[1]!, files[2]!, files[0]!];
    if (key) await writeRecord(opts.outDir, { key, files: ordered.map((f) => posix.basename(f)), sha256: tar.sha256, builtAt: new Date().toISOString(), summary });
    return { tarball, sha256: tar.sha256, size: (await stat(tarball)).size, files: ordered, key, cached: false };
  } finally {
    await rm(root, { recursive: true, force: true });
    await rm(staging, { recursive: true, force: true });
  }
}
