/**
 * The bundle-diracos stage: the RPM repository -> one relocatable tarball laid out like a root
 * filesystem. Closure (dnf) | verified (rpm -K) and checked extraction -> pip -> removedFolders ->
 * link pass -> ELF completeness (graft, leave to the host what ignored packages provide, or fail) ->
 * RPATHs and shebangs -> diracosrc -> mode pass (nothing setuid, setgid or world-writable) ->
 * versions.txt -> reproducible tarball. The bundle's root holds diracosrc, versions.txt,
 * brokenLinks.txt and hostLibraries.txt. A shipped package requiring a buildOnly one fails the
 * closure, naming both (build-only.ts).
 * Everything happens in a temp root and a staging folder next to the outputs; the set of outputs is
 * published at the end with one rename (publish.ts), so any moment, a kill included, shows the old set
 * or the new one, and an interrupted run leaves nothing partial. Whether it succeeds or fails, the
 * stage reports a table of its phases and one of what it did.
 */
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { LoadedManifest } from '../manifest/load.js';
import { sourceDateEpoch } from '../manifest/source-date-epoch.js';
import type { SummaryTable } from '../reporting/reporter.js';
import { HOST_LIBRARIES_FILE, hostProvidedByAll, renderHostLibrariesFile } from '../rules/host-libraries.js';
import { systemFailure } from '../rules/system-errors.js';
import type { Compression } from '../shared/bundle-names.js';
import type { Context } from '../shared/context.js';
import { DiracosError, DiracosErrors } from '../shared/errors.js';
import { sha256Object } from '../shared/hash.js';
import { holding, lockWorkFolder, type LockWait } from '../shared/lock.js';
import { BuildOnlyRequired, describeNeed } from './build-only.js';
import { openBuildRoot } from './build-root.js';
import { bundleKey, dropRecord, recordedBundle, writeRecord } from './bundle-key.js';
import { resolveClosure, rootRpmFiles } from './closure.js';
import { extractListed, listPayloads, type ListedPayload } from './extract.js';
import { completeLibraries } from './graft.js';
import { linkPass, type LinkPassResult } from './links.js';
import { describeModeChange, stripModes, type ModeChange } from './modes.js';
import { assertNoBuildPath, hasPipWork, pipInstall, refreshRecords } from './pip.js';
import { publishSet, removeStaleSets, stagingFolder } from './publish.js';
import { relocateElves, relocateShebangs, renderDiracosrc } from './relocate.js';
import { makeTarball } from './tarball.js';
import { renderVersions, writeVersions } from './versions.js';

export { bundleExtension, type ExtensionOptions } from './extension.js';
export { closureRoots, hostProvides, resolveClosure, type Closure } from './closure.js';

export interface BundleOptions extends LockWait {
  /** Where the outputs are published: a symlink to the folder of the current set (publish.ts). */
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

/** Leftovers of an interrupted run: temp roots. */
async function removeLeftovers(dir: string, prefix: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (name.startsWith(prefix)) await rm(join(dir, name), { recursive: true, force: true });
  }
}

/** Each entry the mode pass changed, named with the package that shipped it when one did. */
export function reportModeChanges(ctx: Context, changes: readonly ModeChange[], payloads: Iterable<ListedPayload>): void {
  if (changes.length === 0) return;
  const owners = new Map<string, string>();
  for (const p of payloads) for (const e of p.entries) owners.set(e.name.replace(/^\.\//, ''), p.pkg);
  for (const c of changes) ctx.reporter.warning(`bundle-diracos: ${describeModeChange(c, owners.get(c.rel))} (payload-mode rules: nothing setuid, setgid or world-writable is shipped)`);
}

/** The stage's summary: what it did, as far as it got. */
interface StageSummary {
  packages?: number;
  pip?: number;
  grafted?: string;
  /** Libraries of ignored packages left to the host (hostLibraries.txt). */
  leftToHost?: number;
  rpaths?: number;
  shebangs?: number;
  links?: LinkPassResult;
  modes?: number;
  /** Below the table: what a cell cannot say (the buildOnly packages a shipped one requires). */
  notes?: string[];
}

const SUMMARY_HEADER = ['result', 'packages', 'pip', 'grafted', 'left to host', 'RPATHs set', 'shebangs', 'links repointed/copied/broken', 'hard links split', 'modes stripped'];

/** The summary of a tarball reused for its content key (its row as recorded when it was made). */
function cachedTable(row: readonly string[]): SummaryTable {
  return { title: 'bundle-diracos', header: SUMMARY_HEADER, rows: [['cached', ...row]] };
}

function summaryTable(s: StageSummary, result: string): SummaryTable {
  const n = (v: number | undefined) => (v === undefined ? '-' : String(v));
  return {
    title: 'bundle-diracos',
    header: SUMMARY_HEADER,
    rows: [
      [
        result,
        n(s.packages),
        n(s.pip),
        s.grafted ?? '-',
        n(s.leftToHost),
        n(s.rpaths),
        n(s.shebangs),
        s.links ? `${s.links.repointed.length}/${s.links.copied.length}/${s.links.broken.length}` : '-',
        s.links ? String(s.links.hardLinksSplit.length) : '-',
        n(s.modes),
      ],
    ],
    ...(s.notes?.length ? { notes: s.notes } : {}),
  };
}

/**
 * The bundle stage. It holds its work folder's lock throughout: a second run in the same work folder
 * would remove this one's root as a killed run's leftover, and publish over its outputs.
 */
export function bundleDiracos(ctx: Context, m: LoadedManifest, opts: BundleOptions): Promise<BundleResult> {
  const stageDir = join(ctx.workdir, 'bundle-diracos');
  return holding(lockWorkFolder(ctx, stageDir, opts), () => bundleLocked(ctx, m, opts, stageDir));
}

async function bundleLocked(ctx: Context, m: LoadedManifest, opts: BundleOptions, stageDir: string): Promise<BundleResult> {
  const cfg = m.manifest.bundle ?? {};
  const epoch = sourceDateEpoch(m);
  const compression = opts.compression ?? cfg.compression ?? 'gzip';
  await mkdir(stageDir, { recursive: true });
  await mkdir(dirname(opts.outDir), { recursive: true });
  // Every folder the tools read or write, before any of them runs (sharing one later restarts them).
  ctx.tools.share(m.repository, stageDir, dirname(opts.outDir));
  await removeLeftovers(stageDir, ROOT_PREFIX);
  await removeStaleSets(opts.outDir);
  const key = await bundleKey(ctx, m, { epoch, compression });
  const recorded = key && !opts.force ? await recordedBundle(opts.outDir, key) : undefined;
  if (key && recorded) {
    const files = recorded.files.map((f) => join(opts.outDir, f));
    ctx.reporter.info(`bundle-diracos: nothing changed since ${recorded.builtAt} (key ${key.slice(0, 12)}): reusing ${files[0]} (force makes it again)`);
    ctx.reporter.table(cachedTable(recorded.summary));
    return { tarball: files[0]!, sha256: recorded.sha256, size: (await stat(files[0]!)).size, files, key, cached: true };
  }
  const root = join(stageDir, `${ROOT_PREFIX}${process.pid}`);
  await mkdir(root);
  const staging = await stagingFolder(opts.outDir);
  // Seconds per phase, and what the stage did so far: both reported whether it succeeds or fails.
  const seconds: Array<[string, number, string]> = [];
  const summary: StageSummary = {};
  let failedIn: string | undefined;
  const phase = async <T>(name: string, fn: () => T | Promise<T>): Promise<T> => {
    const start = process.hrtime.bigint();
    let ok = false;
    try {
      const value = await ctx.reporter.progress({ what: `bundling: ${name}` }, async () => fn());
      ok = true;
      return value;
    } catch (e) {
      failedIn ??= name;
      throw e;
    } finally {
      seconds.push([name, Number(process.hrtime.bigint() - start) / 1e9, ok ? 'ok' : 'FAILED']);
    }
  };
  let published = false;
  try {
    const buildRoot = await phase('build platform root', () => openBuildRoot(ctx, m));
    const hostSonames = hostProvidedByAll([...new Set(m.manifest.platforms.map((p) => p.family))]);
    // While dnf solves, the roots' own RPMs (nearly the whole closure: dnf installs every root) are
    // verified (rpm -K), listed, checked as a set and extracted; the rest of the closure is then
    // checked against them. Should dnf take a root from elsewhere (a newer version in a base
    // repository), the root folder is emptied and the closure extracted afresh. No payload is written
    // before its digests and its listing passed the checks.
    const roots = await rootRpmFiles(m);
    const payloads: ListedPayload[] = [];
    const extractRoots = async () => {
      const listed = await listPayloads(ctx.tools.exec, roots, root, ctx.jobs);
      await extractListed(ctx.tools.exec, listed, root, ctx.jobs);
      return listed;
    };
    const [solved, extracted] = await phase('closure (dnf) | extract roots', async () => {
      const both = await Promise.allSettled([resolveClosure(ctx, m, { stageDir, buildRoot: buildRoot.path }), extractRoots()]);
      if (both[0].status === 'rejected') {
        // A refused payload (bad digests, a hostile entry) says more than dnf failing on the same file.
        if (both[1].status === 'rejected' && both[1].reason instanceof DiracosErrors) throw both[1].reason;
        throw both[0].reason;
      }
      return both;
    });
    if (solved.status === 'rejected') throw solved.reason;
    const closure = solved.value;
    summary.packages = closure.packages.length;
    ctx.reporter.info(`bundle-diracos: ${closure.packages.length} packages in the closure`);
    const wanted = closure.packages.map((p) => p.path);
    const inClosure = new Set(wanted);
    const early = new Set(roots);
    await phase('extract the rest', async () => {
      if (roots.every((r) => inClosure.has(r))) {
        if (extracted.status === 'rejected') throw extracted.reason;
        const rest = await listPayloads(ctx.tools.exec, wanted.filter((p) => !early.has(p)), root, ctx.jobs);
        await extractListed(ctx.tools.exec, rest, root, ctx.jobs, extracted.value);
        payloads.push(...extracted.value, ...rest);
      } else {
        await rm(root, { recursive: true, force: true });
        await mkdir(root);
        const all = await listPayloads(ctx.tools.exec, wanted, root, ctx.jobs);
        await extractListed(ctx.tools.exec, all, root, ctx.jobs);
        payloads.push(...all);
      }
    });

    let freeze: string[] = [];
    if (hasPipWork(cfg.pip)) {
      const pip = cfg.pip;
      const platform = { image: buildRoot.image, env: m.buildPlatform.env };
      freeze = (await phase('pip', () => pipInstall(ctx, root, pip, { manifestDir: m.dir, epoch, stageDir, platform, source: m.file }))).freeze;
      summary.pip = freeze.length;
    }

    await removeFolders(root, cfg.removedFolders ?? [], m.file);
    const links = await phase('link pass', () => linkPass(root, { buildRoot: buildRoot.path, brokenLinksFile: join(root, 'brokenLinks.txt') }));
    summary.links = links;
    reportBrokenLinks(ctx, links);
    const { grafted, leftToHost } = await phase('ELF completeness', () =>
      completeLibraries(root, { hostSonames, ignored: closure.ignoredLibraries, graft: cfg.graftLibraries ?? false, buildRoot: buildRoot.path, buildRootName: buildRoot.source }),
    );
    summary.grafted = grafted.map((g) => g.soname).join(' ') || '-';
    summary.leftToHost = leftToHost.length;
    await writeFile(join(root, HOST_LIBRARIES_FILE), renderHostLibrariesFile(leftToHost));
    if (leftToHost.length > 0) {
      ctx.reporter.info(`bundle-diracos: left to the host (bundle.ignoredPackages), listed in ${HOST_LIBRARIES_FILE}: ${leftToHost.map((l) => `${l.soname} (${l.package})`).join(', ')}`);
    }
    const elves = await phase('RPATHs', () => relocateElves(ctx.tools.exec, root));
    summary.rpaths = elves.patched.length;
    const shebangs = await phase('shebangs', () => relocateShebangs(root));
    summary.shebangs = shebangs.length;
    if (hasPipWork(cfg.pip)) {
      refreshRecords(root, shebangs);
      assertNoBuildPath(root);
    }
    await writeFile(join(root, 'diracosrc'), renderDiracosrc(cfg.environment ?? {}, m.file));
    const modes = await phase('modes', () => stripModes(root));
    summary.modes = modes.length;
    reportModeChanges(ctx, modes, payloads);

    const versions = renderVersions(closure.packages.map((p) => p.nevra), freeze);
    // Inside the tarball too, beside diracosrc: an unpacked bundle says what it holds.
    writeVersions(join(root, 'versions.txt'), versions);
    const tar = await phase('tar + compress + digests', () => {
      writeVersions(join(staging, 'versions.txt'), versions);
      return makeTarball(ctx.tools.exec, root, staging, { version: m.manifest.version, arch: m.arch, epoch, compression, jobs: ctx.jobs });
    });
    const name = posix.basename(tar.path);
    await dropRecord(opts.outDir);
    await phase('publish', () => publishSet(staging, opts.outDir, sha256Object({ tarball: tar.sha256, versions }).slice(0, 16)));
    published = true;
    const tarball = join(opts.outDir, name);
    const files = [tarball, `${tarball}.sha256`, `${tarball}.md5`, join(opts.outDir, 'versions.txt')];
    // The record joins the published set: its key names exactly this tarball.
    if (key) await writeRecord(opts.outDir, { key, files: files.map((f) => posix.basename(f)), sha256: tar.sha256, builtAt: new Date().toISOString(), summary: summaryTable(summary, 'ok').rows[0]!.slice(1) });
    return { tarball, sha256: tar.sha256, size: (await stat(tarball)).size, files, key, cached: false };
  } catch (e) {
    if (e instanceof BuildOnlyRequired) summary.notes = e.needs.map((n) => `not shipped: ${describeNeed(n)}`);
    throw systemFailure(e, `bundle-diracos${failedIn ? ` (${failedIn})` : ''}`) ?? e;
  } finally {
    ctx.reporter.table({ title: 'bundle-diracos phases', header: ['phase', 'seconds', 'result'], rows: seconds.map(([p, s, r]) => [p, s.toFixed(1), r]) });
    ctx.reporter.table(summaryTable(summary, published ? 'ok' : `FAILED${failedIn ? ` in ${failedIn}` : ''}`));
    await rm(root, { recursive: true, force: true });
    await rm(staging, { recursive: true, force: true });
  }
}
