import { createWriteStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { basename, dirname, join } from 'node:path';
import type { ResolvedPackage } from '../manifest/resolve.js';
import type { PlatformSpec } from '../manifest/types.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';
import type { RepoLayout } from '../repo/layout.js';
import { dnfRepoArgs, yumInstallScript, type OurRepo } from './dnf.js';
import type { RunSpec } from '../runtime/types.js';
import { FAMILY_RULES, HIDES_PROVIDED_NAMES, releaseRules, REPRODUCIBLE_MACROS, type PackageManager } from './platform-rules.js';
import { buildLines, preStepLines, routineEnv } from './routines.js';
import { rpmNameOfFile } from './select.js';
import { shJoin } from '../shared/shell.js';
import { rpmOptions } from './shell.js';
import type { PackageTree } from './tree.js';

/** One package to build: its tree, what to install first, where its log goes. */
export interface BuildJob {
  pkg: ResolvedPackage;
  tree: PackageTree;
  /** BuildRequires to install with dnf before rpmbuild (ours, or all of them on RPM platforms). */
  install: string[];
  log: string;
}

/** The RPMs a build produced (absolute paths in the build tree). */
export interface BuildOutput {
  binary: string[];
  source: string[];
}

/** One manifest postStep of a package, run after its RPMs entered the repository. */
export interface PostStepJob {
  pkg: ResolvedPackage;
  /** Position in the package's postSteps (from 0), for messages. */
  index: number;
  step: string;
  /** Appended to (the package's build log). */
  log: string;
}

export interface Backend {
  readonly name: string;
  build(ctx: Context, job: BuildJob): Promise<BuildOutput>;
  /** Runs one post step on the build platform; a failure is a DiracosError naming the package and the step. */
  postStep(ctx: Context, job: PostStepJob): Promise<void>;
}

/** Options common to both backends. */
export interface BackendOptions {
  image: string;
  platform: PlatformSpec;
  repo: RepoLayout;
  /** SOURCE_DATE_EPOCH of the builds (see REPRODUCIBLE_MACROS). */
  sourceDateEpoch: number;
}

/** Where the build container sees things. */
const IN = { build: '/build', repo: '/repo', platform: '/platform' } as const;

/**
 * The default backend: a fresh, unprivileged container of the build platform image per package; the
 * platform's provides (Debian) go in its rpm database, the BuildRequires come from our repository (and the
 * base repositories on RPM platforms) with the release's package manager.
 */
export function containerBackend(opts: BackendOptions & { platformProvidesRpm?: string }): Backend {
  const rules = FAMILY_RULES[opts.platform.family];
  const registerPlatform = opts.platformProvidesRpm ? [`rpm -i --justdb --nodeps --noscripts --nosignature ${IN.platform}/${basename(opts.platformProvidesRpm)}`] : [];
  const platformMount = opts.platformProvidesRpm ? [{ source: dirname(opts.platformProvidesRpm), target: IN.platform, readOnly: true }] : [];
  return {
    name: 'container',
    async build(ctx, job) {
      const rpmbuild = rpmbuildLine([...rpmOptions(job.pkg, 'rpmbuild'), `${IN.build}/SPECS/${basename(job.tree.spec)}`]);
      const script = containerBuildScript({
        platform: opts.platform,
        arch: opts.repo.arch,
        registerPlatform,
        install: job.install,
        exclude: job.install.length > 0 ? await hiddenInBase(opts.repo, releaseRules(opts.platform).packageManager) : [],
        // routines (README: Routines): preSteps, then buildCommand or rpmbuild
        build: [...preStepLines(job.pkg), ...buildLines(job.pkg, rpmbuild)],
      });
      const repos = containerRepos(opts.repo.arch);
      const routine = routineEnv({ pkg: job.pkg.name, spec: basename(job.tree.spec), rpmbuild, repo: repos[0]!.dir, buildOnly: repos[1]!.dir });
      const exitCode = await runLogged(ctx, job.log, 'w', `# ${job.pkg.name} in ${opts.image}\n${script}\n\n`, {
        image: opts.image,
        name: `build-${job.pkg.name}`,
        command: ['bash', '-c', script],
        mounts: [{ source: job.tree.dir, target: IN.build }, { source: opts.repo.root, target: IN.repo, readOnly: true }, ...platformMount],
        env: { ...opts.platform.env, ...routine, SOURCE_DATE_EPOCH: String(opts.sourceDateEpoch) },
        network: rules.network,
      });
      if (exitCode !== 0) await failBuild(ctx, job, exitCode);
      return {
        binary: await rpmsUnder(join(job.tree.dir, 'RPMS')),
        source: await rpmsUnder(join(job.tree.dir, 'SRPMS')),
      };
    },
    async postStep(ctx, job) {
      // The repository is read-only: the index is its truth, only the engine writes there.
      const script = ['set -e -o pipefail', ...registerPlatform, job.step].join('\n');
      const exitCode = await runLogged(ctx, job.log, 'a', `\n# post step ${job.index + 1} of ${job.pkg.name} in ${opts.image}\n${job.step}\n\n`, {
        image: opts.image,
        name: `post-${job.pkg.name}`,
        command: ['bash', '-c', script],
        mounts: [{ source: opts.repo.root, target: IN.repo, readOnly: true }, ...platformMount],
        env: { ...opts.platform.env, ...postStepEnv(job.pkg.name, join(IN.repo, opts.repo.arch), join(IN.repo, 'buildOnly', opts.repo.arch)) },
        network: rules.network,
      });
      if (exitCode !== 0) await failPostStep(ctx, job, exitCode);
    },
  };
}

/** Our repositories as the build container sees them (the repository is mounted at IN.repo). */
export function containerRepos(arch: string): OurRepo[] {
  return [
    { id: 'diracos', dir: join(IN.repo, arch) },
    { id: 'diracos-buildonly', dir: join(IN.repo, 'buildOnly', arch) },
  ];
}

/**
 * The bash script of one container build: the platform-provides RPM registered (Debian), the
 * BuildRequires installed with the release's package manager from ours and the base repositories
 * (the `exclude` names hidden in the declared base repositories, so ours win), then rpmbuild -ba.
 */
export function containerBuildScript(o: {
  platform: PlatformSpec;
  arch: string;
  registerPlatform: readonly string[];
  install: readonly string[];
  exclude: readonly string[];
  /** The build's lines: the package's pre steps, then its build command or rpmbuildLine(...). */
  build: readonly string[];
}): string {
  const repos = containerRepos(o.arch);
  const pm = releaseRules(o.platform).packageManager;
  const install =
    o.install.length === 0
      ? []
      : pm === 'yum'
        ? yumInstallScript(o.platform, repos, o.exclude, o.install)
        : [`dnf -y ${shJoin(dnfRepoArgs(o.platform, FAMILY_RULES[o.platform.family], repos, o.exclude))} install ${shJoin(o.install)}`];
  return [
    // $basearch and $releasever in baseurls are the package manager's to expand.
    '# shellcheck disable=SC2016',
    'set -e -o pipefail',
    ...o.registerPlatform,
    ...install,
    ...o.build,
  ].join('\n');
}

/** The default build: `rpmbuild -ba` in the mounted tree, reproducibly, with the package's options and spec. */
export function rpmbuildLine(optionsAndSpec: readonly string[]): string {
  return `rpmbuild -ba ${shJoin([...defineArgs({ _topdir: IN.build, ...REPRODUCIBLE_MACROS }), ...optionsAndSpec])}`;
}

/**
 * The RPM names our repository holds now (its binary and buildOnly parts): what may be hidden in the
 * base repositories. A name we rebuild but do not hold yet stays visible there, so whatever needs it
 * before ours exists (a build root's own zlib, xz, bzip2 or rpm) can still be installed.
 */
export async function heldRpmNames(repo: RepoLayout): Promise<string[]> {
  const names = new Set<string>();
  for (const dir of [repo.binary, repo.buildOnly]) {
    for (const f of await readdir(dir).catch(() => [] as string[])) if (f.endsWith('.rpm') && !f.endsWith('.src.rpm')) names.add(rpmNameOfFile(f));
  }
  return [...names].sort();
}

/** Package name -> the capabilities it provides, from a repository folder's primary metadata (createrepo_c, gz). */
export async function repoProvides(dir: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const repomd = await readFile(join(dir, 'repodata/repomd.xml'), 'utf8').catch(() => '');
  const href = /<data type="primary">[\s\S]*?<location href="([^"]+)"/.exec(repomd)?.[1];
  if (!href) return out;
  const raw = await readFile(join(dir, href));
  const xml = (href.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const unescape = (t: string) => t.replace(/&(lt|gt|quot|apos|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
  for (const block of xml.split('<package type="rpm">').slice(1)) {
    const name = /<name>([^<]*)<\/name>/.exec(block)?.[1];
    if (!name) continue;
    const provides = /<rpm:provides>([\s\S]*?)<\/rpm:provides>/.exec(block)?.[1] ?? '';
    const caps = [...provides.matchAll(/<rpm:entry name="([^"]*)"/g)].map((m) => unescape(m[1]!));
    out.set(unescape(name), [...new Set([...(out.get(unescape(name)) ?? []), ...caps])]);
  }
  return out;
}

/** A capability that is also a possible package name (not `libz.so.1()(64bit)`, `python(abi)`, `/usr/bin/x`). */
const PACKAGE_NAME = /^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/;

/**
 * What the base repositories hide for one build: the names our repository holds (of `only`, when
 * given) and, where the package manager needs it (HIDES_PROVIDED_NAMES: yum), the package names that
 * those packages provide as capabilities, so that e.g. BuildRequires: python3-devel takes our CPython.
 */
export async function hiddenInBase(repo: RepoLayout, pm: PackageManager, only?: ReadonlySet<string>): Promise<string[]> {
  const held = (await heldRpmNames(repo)).filter((n) => !only || only.has(n));
  const hidden = new Set(held);
  if (HIDES_PROVIDED_NAMES[pm]) {
    const provides = new Map([...(await repoProvides(repo.binary)), ...(await repoProvides(repo.buildOnly))]);
    for (const name of held) for (const cap of provides.get(name) ?? []) if (PACKAGE_NAME.test(cap)) hidden.add(cap);
  }
  return [...hidden].sort();
}

/** The environment of a post step: where our repository's parts are and which package it follows. */
export function postStepEnv(pkg: string, repo: string, buildOnly: string): Record<string, string> {
  return { DIRACOS_REPO: repo, DIRACOS_BUILDONLY: buildOnly, DIRACOS_PACKAGE: pkg };
}

/** rpm `--define 'name value'` pairs. */
export function defineArgs(defines: Readonly<Record<string, string>>): string[] {
  return Object.entries(defines).flatMap(([k, v]) => ['--define', `${k} ${v}`]);
}

/** Runs a container with its output in `logFile` (after `header`); resolves with the exit code. */
export async function runLogged(ctx: Context, logFile: string, flags: 'w' | 'a', header: string, spec: RunSpec): Promise<number> {
  const log = createWriteStream(logFile, { flags });
  log.write(header);
  try {
    const result = await ctx.runtime.run({ ...spec, capture: false, allowFailure: true, onOutput: (chunk) => log.write(chunk) });
    return result.exitCode;
  } finally {
    await new Promise((resolve) => log.end(resolve));
  }
}

const LOG_TAIL_LINES = 40;

async function showTail(ctx: Context, title: string, logFile: string): Promise<void> {
  const tail = (await readFile(logFile, 'utf8')).trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
  await ctx.reporter.group(`${title} (last ${LOG_TAIL_LINES} lines of ${logFile})`, async () => ctx.reporter.info(tail));
}

export async function failBuild(ctx: Context, job: Pick<BuildJob, 'pkg' | 'log'>, exitCode: number, what = 'the build'): Promise<never> {
  await showTail(ctx, `build of ${job.pkg.name} failed`, job.log);
  throw new DiracosError(`package '${job.pkg.name}': ${what} failed (exit ${exitCode}); log: ${job.log}`, { file: job.log });
}

export async function failPostStep(ctx: Context, job: PostStepJob, exitCode: number): Promise<never> {
  await showTail(ctx, `post step ${job.index + 1} of ${job.pkg.name} failed`, job.log);
  throw new DiracosError(`package '${job.pkg.name}': post step ${job.index + 1} failed (exit ${exitCode}): ${job.step}; log: ${job.log}`, { file: job.log });
}

export async function rpmsUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.rpm'))
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
}
