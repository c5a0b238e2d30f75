import { createWriteStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ResolvedPackage } from '../manifest/resolve.js';
import type { PlatformSpec } from '../manifest/types.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';
import type { RepoLayout } from '../repo/layout.js';
import { dnfRepoArgs } from './dnf.js';
import type { RunSpec } from '../runtime/types.js';
import { FAMILY_RULES, REPRODUCIBLE_MACROS } from './platform-rules.js';
import { buildLines, preStepLines, routineEnv } from './routines.js';
import { rpmOptions, shJoin } from './shell.js';
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
 * platform's provides (Debian) go in its rpm database, our BuildRequires come from our repository with dnf.
 */
export function containerBackend(opts: BackendOptions & { platformProvidesRpm?: string }): Backend {
  const rules = FAMILY_RULES[opts.platform.family];
  const repos = [
    { id: 'diracos', dir: join(IN.repo, opts.repo.arch) },
    { id: 'diracos-buildonly', dir: join(IN.repo, 'buildOnly', opts.repo.arch) },
  ];
  const registerPlatform = opts.platformProvidesRpm ? [`rpm -i --justdb --nodeps --noscripts --nosignature ${IN.platform}/${basename(opts.platformProvidesRpm)}`] : [];
  const platformMount = opts.platformProvidesRpm ? [{ source: dirname(opts.platformProvidesRpm), target: IN.platform, readOnly: true }] : [];
  return {
    name: 'container',
    async build(ctx, job) {
      const spec = `${IN.build}/SPECS/${basename(job.tree.spec)}`;
      const rpmbuild = `rpmbuild -ba ${shJoin([...defineArgs({ _topdir: IN.build, ...REPRODUCIBLE_MACROS }), ...rpmOptions(job.pkg, 'rpmbuild'), spec])}`;
      const script = [
        'set -e -o pipefail',
        ...registerPlatform,
        ...(job.install.length > 0 ? [`dnf -y ${shJoin(dnfRepoArgs(opts.platform, rules, repos))} install ${shJoin(job.install)}`] : []),
        // routines (README: Routines): preSteps, then buildCommand or rpmbuild
        ...preStepLines(job.pkg),
        ...buildLines(job.pkg, rpmbuild),
      ].join('\n');
      const routine = routineEnv({ pkg: job.pkg.name, spec: basename(job.tree.spec), rpmbuild, repo: repos[0]!.dir, buildOnly: repos[1]!.dir });
      const exitCode = await runLogged(ctx, job.log, 'w', `# ${job.pkg.name} in ${opts.image}\n${script}\n\n`, {
        image: opts.image,
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
        command: ['bash', '-c', script],
        mounts: [{ source: opts.repo.root, target: IN.repo, readOnly: true }, ...platformMount],
        env: { ...opts.platform.env, ...postStepEnv(job.pkg.name, join(IN.repo, opts.repo.arch), join(IN.repo, 'buildOnly', opts.repo.arch)) },
        network: rules.network,
      });
      if (exitCode !== 0) await failPostStep(ctx, job, exitCode);
    },
  };
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
