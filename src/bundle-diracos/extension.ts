/**
 * DIRACOS extensions (dos-build-extension): a released base tarball plus extra Python requirements,
 * re-relocated and packed as `<name>diracos-<version>-<arch>.tar.gz`. Same rules as the main stage:
 * the mode pass, and the outputs published as one set (publish.ts).
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { LoadedManifest } from '../manifest/load.js';
import { sourceDateEpoch } from '../manifest/source-date-epoch.js';
import { hostProvidedByAll } from '../rules/host-libraries.js';
import type { Compression } from '../shared/bundle-names.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';
import { openBuildRoot } from './build-root.js';
import { completeLibraries } from './graft.js';
import { linkPass } from './links.js';
import { describeModeChange, stripModes } from './modes.js';
import { assertNoBuildPath, pipInstall, refreshRecords } from './pip.js';
import { publishSet, removeStaleSets, stagingFolder } from './publish.js';
import { relocateElves, relocateShebangs } from './relocate.js';
import { makeTarball } from './tarball.js';

export interface ExtensionOptions {
  baseTarball: string;
  /** Extension name, prepended to the tarball's name. */
  name: string;
  /** Extra pip requirements (the manifest's index, find-links and no-index apply). */
  requirements: string[];
  outDir: string;
  compression?: Compression;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export async function bundleExtension(ctx: Context, m: LoadedManifest, o: ExtensionOptions): Promise<{ tarball: string; sha256: string; size: number; files: string[] }> {
  if (!NAME.test(o.name)) throw new DiracosError(`extension name '${o.name}' may hold only letters, digits, '.', '_' and '-'`);
  if (o.requirements.length === 0) throw new DiracosError(`extension '${o.name}': no requirements given`);
  const cfg = m.manifest.bundle ?? {};
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
    const epoch = sourceDateEpoch(m);
    const platform = { image: buildRoot.image, env: m.buildPlatform.env };
    await pipInstall(ctx, root, { ...cfg.pip, requirements: o.requirements, requirementsFile: undefined }, { manifestDir: m.dir, epoch, stageDir: work, platform, source: `extension ${o.name}` });
    linkPass(root, { buildRoot: buildRoot.path });
    const hostSonames = hostProvidedByAll([...new Set(m.manifest.platforms.map((p) => p.family))]);
    completeLibraries(root, { hostSonames, graft: cfg.graftLibraries ?? false, buildRoot: buildRoot.path, buildRootName: buildRoot.source });
    await relocateElves(ctx.tools.exec, root);
    refreshRecords(root, relocateShebangs(root));
    assertNoBuildPath(root);
    for (const c of stripModes(root)) ctx.reporter.warning(`extension ${o.name}: ${describeModeChange(c)}`);
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
    return { tarball, sha256: tar.sha256, size: (await stat(tarball)).size, files: [tarball, `${tarball}.sha256`, `${tarball}.md5`] };
  } finally {
    await rm(work, { recursive: true, force: true });
    await rm(staging, { recursive: true, force: true });
  }
}
