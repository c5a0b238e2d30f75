/**
 * What the bundle ships: every binary package of the repository index that is not buildOnly, minus
 * ignoredPackages, plus manualDependencies, and their whole runtime dependency closure, as a real
 * solver (dnf, among the tools, against our repository and on RPM platforms the build platform's base
 * repositories) installs it into an empty root. What the host provides is declared by a generated
 * virtual package (HOST_PROVIDES_NAME) in the same transaction, so dnf is satisfied without shipping
 * it: the host-library policy's sonames, non-library host capabilities, the ignored packages and
 * what they provide, and (with graftLibraries) the libraries the build platform has, grafted later.
 * The transaction only writes the rpm database (tsflags=justdb); its package list is the closure.
 * dnf runs as root (it refuses `install` otherwise), so its roots and HOME live in the tools' own
 * scratch folder, never in a shared one. rpm reads its macros from that private HOME (SOLVE_RPM_MACROS): it does not re-read every package
 * file to verify payload digests (the payloads are read, and their compression checked, at extraction)
 * and keeps its database at one fixed place whatever the host's default.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { LoadedManifest } from '../manifest/load.js';
import type { BundleSection } from '../manifest/types.js';
import { platformRelease } from '../platform/release-rules.js';
import { readIndex, type RepoIndex } from '../repo/index-file.js';
import { repoLayout } from '../repo/layout.js';
import { rpmNameOfFile } from '../repo/rpm-names.js';
import { hostProvidedByAll } from '../rules/host-libraries.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';
import { ExecError } from '../shared/exec.js';
import { fileUrl } from '../shared/file-url.js';
import { globToRegExp } from '../shared/glob.js';
import { BuildOnlyRequired, buildOnlyNeeds } from './build-only.js';
import { GRAFT_SEARCH_DIRS, HOST_CAPABILITIES, HOST_PACKAGES, HOST_PROVIDES_NAME } from './host-provides-rules.js';

export interface ClosurePackage {
  name: string;
  /** name-[epoch:]version-release.arch as rpm prints it (epoch left out, as in file names). */
  nevra: string;
  /** The RPM file to extract. */
  path: string;
}

export interface Closure {
  packages: ClosurePackage[];
  /** What the virtual host package declared. */
  hostProvides: string[];
  /** Sonames the ignored packages provide -> the package: left to the host, never grafted. */
  ignoredLibraries: Map<string, string>;
}

/** The packages asked for: binary RPM names of every non-buildOnly index entry, minus ignored, plus manual. */
export function closureRoots(index: RepoIndex, bundle: BundleSection = {}): string[] {
  const ignored = new Set(bundle.ignoredPackages ?? []);
  const excluded = (bundle.excludedPackages ?? []).map(globToRegExp);
  const names = new Set<string>();
  for (const entry of Object.values(index.packages)) {
    if (entry.buildOnly) continue;
    for (const rpm of entry.rpms) {
      if (rpm.startsWith('src/') || rpm.endsWith('.src.rpm')) continue;
      const name = rpmNameOfFile(basename(rpm));
      if (!ignored.has(name) && !excluded.some((re) => re.test(name))) names.add(name);
    }
  }
  for (const name of bundle.manualDependencies ?? []) names.add(name);
  return [...names].sort();
}

/**
 * The repository's RPM files of the closure roots: in the closure whatever dnf pulls in besides, so
 * their payloads can be listed while dnf solves. Files that are not there are left out.
 */
export async function rootRpmFiles(m: LoadedManifest): Promise<string[]> {
  const layout = repoLayout(m.repository, m.arch);
  const index = await readIndex(layout.index);
  const roots = new Set(closureRoots(index, m.manifest.bundle ?? {}));
  const files = new Set<string>();
  for (const entry of Object.values(index.packages)) {
    if (entry.buildOnly) continue;
    for (const rpm of entry.rpms) {
      const path = join(layout.root, rpm);
      if (dirname(path) === layout.binary && roots.has(rpmNameOfFile(basename(rpm))) && existsSync(path)) files.add(path);
    }
  }
  return [...files].sort();
}

/** The soname a library capability names: `libc.so.6(GLIBC_2.14)(64bit)` -> `libc.so.6`; else undefined. */
export function capabilitySoname(cap: string): string | undefined {
  const m = /^([^\s()]+\.so(?:\.[^\s()]*)?)(?:\(.*\))?$/.exec(cap.trim());
  return m?.[1];
}

export interface HostProvidesInput {
  /** Every Requires of the packages that may be shipped, as dnf prints them. */
  requires: readonly string[];
  /** Sonames the host policy provides on every target platform. */
  hostSonames: readonly string[];
  /** Names of ignored packages and what they provide (`name = evr` lines allowed). */
  ignored: readonly string[];
  /** Sonames the build platform has and that may be grafted (graftLibraries), else empty. */
  graftable: readonly string[];
  /** Package names of the glibc family (RPM platforms). */
  hostPackages: readonly string[];
}

/** The virtual package's Provides: sorted, unique. */
export function hostProvides(i: HostProvidesInput): string[] {
  const libs = new Set([...i.hostSonames, ...i.graftable]);
  const out = new Set<string>([...HOST_CAPABILITIES, ...i.hostPackages, ...i.ignored]);
  for (const req of i.requires) {
    const soname = capabilitySoname(req);
    if (!soname || !libs.has(soname)) continue;
    out.add(req.trim());
    // createrepo_c leaves `libc.so.6()(64bit)` out of the metadata when a versioned form is there; rpm's
    // transaction check reads the headers and still wants it.
    out.add(req.trim().endsWith('(64bit)') ? `${soname}()(64bit)` : soname);
  }
  return [...out].filter((p) => p !== '' && !p.startsWith('(') && !p.startsWith('rpmlib(')).sort();
}

/** Spec of the virtual package. */
export function hostProvidesSpec(provides: readonly string[]): string {
  return [
    `Name: ${HOST_PROVIDES_NAME}`,
    'Version: 1',
    'Release: 1',
    'License: GPL-3.0-only',
    'BuildArch: noarch',
    'Summary: What the hosts of the bundle provide (generated, never shipped)',
    ...provides.map((p) => `Provides: ${p}`),
    '%description',
    'Generated by diracos bundle-diracos.',
    '%files',
    '',
  ].join('\n');
}

/**
 * rpm macros of the closure transaction. With digest verification on, rpm reads every package file
 * in full twice (dnf's test transaction, then the real one): most of the solve's time on a large
 * bundle, for a transaction that writes no file.
 */
export const SOLVE_RPM_MACROS: Readonly<Record<string, string>> = {
  _pkgverify_level: 'none',
  _dbpath: '/var/lib/rpm',
};

/** dnf's repository and solver options for the bundle closure, on the host. */
export function closureDnfArgs(m: LoadedManifest): string[] {
  const platform = m.buildPlatform;
  const rpmPlatform = platform.family !== 'debian';
  const base = rpmPlatform ? (platform.baseRepos ?? []) : [];
  const hostPackages = rpmPlatform ? HOST_PACKAGES[platform.family] : [];
  return [
    '--setopt=reposdir=/dev/null',
    '--noplugins',
    '--nogpgcheck',
    '--setopt=install_weak_deps=False',
    // The platform's release ($releasever of its baseurls): mock.releasever, else a well-known image's.
    `--releasever=${(rpmPlatform ? platformRelease(platform) : undefined) ?? '0'}`,
    `--forcearch=${m.arch}`,
    ...base.map((r) => `--repofrompath=${r.name},${r.baseurl}`),
    // The glibc family never comes from a base repository: the host has it.
    ...(hostPackages.length > 0 ? base.map((r) => `--setopt=${r.name}.excludepkgs=${hostPackages.join(',')}`) : []),
    `--repofrompath=diracos,${fileUrl(repoLayout(m.repository, m.arch).binary)}`,
    // What we rebuilt is shipped even where a base repository has a newer version of it.
    '--setopt=diracos.priority=1',
  ];
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Sonames the build platform root has in its library directories. */
function graftableSonames(buildRoot: string, requires: readonly string[]): string[] {
  const out = new Set<string>();
  for (const req of requires) {
    const soname = capabilitySoname(req);
    if (soname && GRAFT_SEARCH_DIRS.some((d) => existsSync(join(buildRoot, d, soname)))) out.add(soname);
  }
  return [...out];
}

/** dnf's own explanation of a failed transaction (the end of its output, where the problems are). */
function dnfProblems(e: ExecError): string {
  return e.stderr
    .trim()
    .split('\n')
    .slice(-20)
    .map((l) => `  ${l.trim()}`)
    .join('\n');
}

/**
 * Solves the closure in `<stageDir>/closure` (an installroot holding only an rpm database) and maps each
 * package to its RPM file: ours from the repository, the base repositories' downloaded.
 */
export async function resolveClosure(ctx: Context, m: LoadedManifest, o: { stageDir: string; buildRoot?: string }): Promise<Closure> {
  const layout = repoLayout(m.repository, m.arch);
  const index = await readIndex(layout.index);
  const bundle = m.manifest.bundle ?? {};
  const roots = closureRoots(index, bundle);
  if (roots.length === 0) throw new DiracosError(`bundle-diracos: the repository ${m.repository} holds no package to bundle (run build-rpms first)`, { file: layout.index });
  const dir = join(o.stageDir, 'closure');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const dnfArgs = closureDnfArgs(m);
  const tools = ctx.tools;
  tools.share(m.repository, dir);
  const scratch = join(await tools.scratch(), 'closure');
  await tools.execAsRoot('rm', ['-rf', scratch]);
  const queryRoot = join(scratch, 'query-root');

  // From the headers, not the metadata: createrepo_c keeps only the newest libc.so.6(GLIBC_x) of a
  // package, while rpm's transaction check wants every one the header lists.
  // Paths relative to the repository: rpm reads its file arguments as globs and drops quotes from them.
  const rpms = Object.values(index.packages).filter((e) => !e.buildOnly).flatMap((e) => e.rpms).filter((r) => !r.endsWith('.src.rpm'));
  const requires = [...new Set(lines((await tools.exec('rpm', ['-qp', '--nosignature', '--requires', ...rpms], { cwd: m.repository })).stdout))];
  const ignored = bundle.ignoredPackages ?? [];
  // From every repository, not only ours: on an RPM platform an ignored package may be a base one.
  const ignoredQuery = ignored.length > 0 ? (await tools.execAsRoot('dnf', ['-q', `--installroot=${queryRoot}`, ...dnfArgs, 'repoquery', '--qf', '%{name}\\t%{provides}', ...ignored])).stdout : '';
  const { provides: ignoredProvides, libraries: ignoredLibraries } = ignoredProvidesOf(ignoredQuery);
  const families = [...new Set(m.manifest.platforms.map((p) => p.family))];
  const provides = hostProvides({
    requires,
    hostSonames: hostProvidedByAll(families),
    ignored: [...ignored, ...ignoredProvides],
    graftable: bundle.graftLibraries && o.buildRoot ? graftableSonames(o.buildRoot, requires) : [],
    hostPackages: m.buildPlatform.family === 'debian' ? [] : HOST_PACKAGES[m.buildPlatform.family],
  });
  // Built in the tools' scratch folder, whose path is plain: rpm macros and scripts break on a workdir
  // with a space, quote or parenthesis, which a user may well have.
  const hostTop = join(scratch, 'host-provides');
  await tools.execAsRoot('sh', ['-c', 'mkdir -p "$1/top" && printf %s "$2" > "$1/host-provides.spec"', 'sh', hostTop, hostProvidesSpec(provides)]);
  await tools.execAsRoot('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${hostTop}/top`, '--define', `_rpmdir ${hostTop}`, `${hostTop}/host-provides.spec`]);
  const hostRpm = join(hostTop, 'noarch', `${HOST_PROVIDES_NAME}-1-1.noarch.rpm`);
  // A copy beside the stage's other files, to see (or install) what the closure was solved with.
  await mkdir(join(dir, 'noarch'), { recursive: true });
  await tools.exec('cp', [hostRpm, join(dir, 'noarch', basename(hostRpm))]);

  const installroot = join(scratch, 'root');
  // rpm (in dnf and on the command line) reads ~/.rpmmacros; nothing else in the scratch folder uses HOME.
  const home = join(scratch, 'rpm-home');
  const macros = Object.entries(SOLVE_RPM_MACROS).map(([k, v]) => `%${k} ${v}\n`).join('');
  await tools.execAsRoot('sh', ['-c', 'mkdir -p "$1" && printf %s "$2" > "$1/.rpmmacros"', 'sh', home, macros]);
  const solveEnv = { env: { ...process.env, HOME: home } };
  try {
    // No dnf history: the root is thrown away, and its database syncs to disk after every package.
    const solve = ['--setopt=tsflags=justdb', '--setopt=history_record=False'];
    await tools.execAsRoot('dnf', ['-y', '-q', `--installroot=${installroot}`, ...dnfArgs, ...solve, 'install', hostRpm, ...roots], solveEnv);
  } catch (e) {
    if (!(e instanceof ExecError)) throw e;
    // A shipped package requiring a buildOnly one is named as such (build-only.ts), not left to dnf's words.
    const install = [hostRpm, ...roots];
    const needs = await buildOnlyNeeds({ tools, installroot: join(scratch, 'build-only-root'), dnfArgs, install, buildOnlyDir: layout.buildOnly, index, options: solveEnv });
    if (needs.length > 0) throw new BuildOnlyRequired(needs, m.file);
    throw new DiracosError(`bundle-diracos: dnf cannot resolve the packages to bundle (${roots.join(', ')}) from ${m.repository}:\n${dnfProblems(e)}`, {
      file: m.file,
    });
  }
  const installed = lines((await tools.execAsRoot('rpm', ['--root', installroot, '-qa', '--qf', '%{NAME}\\t%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n'], solveEnv)).stdout)
    .map((l) => l.split('\t') as [string, string])
    .filter(([name]) => name !== HOST_PROVIDES_NAME)
    .sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0));

  const ours = new Set(await readdir(layout.binary));
  const packages: ClosurePackage[] = [];
  const foreign: Array<[string, string]> = [];
  for (const [name, nevra] of installed) {
    if (ours.has(`${nevra}.rpm`)) packages.push({ name, nevra, path: join(layout.binary, `${nevra}.rpm`) });
    else foreign.push([name, nevra]);
  }
  if (foreign.length > 0) {
    const downloads = join(o.stageDir, 'downloads');
    await mkdir(downloads, { recursive: true });
    // Downloaded by root into the scratch folder, then copied out by the invoking user.
    const fetched = join(scratch, 'downloads');
    await tools.execAsRoot('dnf', ['-q', `--installroot=${queryRoot}`, ...dnfArgs, 'download', `--destdir=${fetched}`, ...foreign.map(([, n]) => n)]);
    await tools.exec('sh', ['-c', 'cp -- "$1"/*.rpm "$2"/', 'sh', fetched, downloads]);
    for (const [name, nevra] of foreign) {
      const path = join(downloads, `${nevra}.rpm`);
      if (!existsSync(path)) throw new DiracosError(`bundle-diracos: package ${nevra} was resolved but could not be downloaded`, { file: m.file });
      packages.push({ name, nevra, path });
    }
    packages.sort((a, b) => (a.nevra < b.nevra ? -1 : a.nevra > b.nevra ? 1 : 0));
  }
  return { packages, hostProvides: provides, ignoredLibraries };
}

/**
 * What the ignored packages provide, from `repoquery --qf '%{name}\t%{provides}'` (a package's first
 * capability beside its name, the others on lines of their own), and their sonames -> package.
 */
export function ignoredProvidesOf(text: string): { provides: string[]; libraries: Map<string, string> } {
  const provides: string[] = [];
  const libraries = new Map<string, string>();
  let pkg = '';
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab >= 0) pkg = line.slice(0, tab).trim();
    const cap = line.slice(tab + 1).trim();
    if (cap === '' || pkg === '') continue;
    provides.push(cap);
    const soname = capabilitySoname(cap);
    if (soname && !libraries.has(soname)) libraries.set(soname, pkg);
  }
  return { provides, libraries };
}

