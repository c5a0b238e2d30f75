/** The default backend: rpmbuild in a fresh container of the build platform's image per package. */
import { basename, dirname, join } from 'node:path';
import type { PlatformSpec } from '../manifest/types.js';
import { releaseRules } from '../platform/release-rules.js';
import { shJoin } from '../shared/shell.js';
import { defineArgs, failBuild, failPostStep, hiddenInBase, rpmsUnder, runLogged, type Backend, type BackendOptions } from './backend.js';
import { dnfRepoArgs, yumInstallScript, type OurRepo } from './dnf.js';
import { FAMILY_RULES, REPRODUCIBLE_MACROS } from './platform-rules.js';
import { buildLines, preStepLines, routineEnv } from './routines.js';
import { rpmOptions } from './rpm-options.js';

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

/** The environment of a post step: where our repository's parts are and which package it follows. */
export function postStepEnv(pkg: string, repo: string, buildOnly: string): Record<string, string> {
  return { DIRACOS_REPO: repo, DIRACOS_BUILDONLY: buildOnly, DIRACOS_PACKAGE: pkg };
}
