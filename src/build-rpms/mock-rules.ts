/**
 * What differs between mock targets, as data: the package manager mock drives, whether it needs a
 * bootstrap chroot, the default build-root packages and the spelling of repo options.
 * `mock-config.ts` reads these tables; it holds no per-family ifs.
 */
import type { PlatformSpec } from '../manifest/types.js';
import { DiracosError } from '../shared/errors.js';
import { RELEASE_RULES, releaseKey, type PackageManager } from '../platform/release-rules.js';

/** A mock target: the platform's family plus, for EL, its major release (the package manager changed at 8). */
export interface TargetRules {
  packageManager: PackageManager;
  /**
   * A bootstrap chroot is only needed when the host's package manager cannot install the target (dnf
   * targets with newer rpm features). Mock runs in a container of the platform itself, so the yum
   * targets never need one. Bootstrap *images* are off everywhere: they would pull from a registry
   * with podman inside the build container.
   */
  useBootstrap: boolean;
  /** `%dist` when the manifest gives no distTag; `{releasever}` is replaced. */
  distTag: string;
  /**
   * Packages of the minimal build root (the distribution's buildsys-build group, written out so no group
   * metadata is needed): mock-core-configs' EOL CentOS 6/7 lists plus shadow-utils (mock creates its
   * build user in the chroot). The container backend's build image gets the same packages.
   */
  chrootSetup: readonly string[];
  /** Extra `[main]` lines of yum.conf / dnf.conf; `{releasever}` is replaced. */
  mainExtra: readonly string[];
}

const EL_BUILDSYS = ['bash', 'bzip2', 'coreutils', 'cpio', 'diffutils', 'findutils', 'gawk', 'gcc', 'gcc-c++', 'grep', 'gzip', 'info', 'make', 'patch', 'redhat-rpm-config', 'rpm-build', 'sed', 'shadow-utils', 'tar', 'unzip', 'which', 'xz'];

/** Keyed like RELEASE_RULES: `family` or `family` + EL major (el6, el7); `el` is EL 8 and later. */
export const TARGET_RULES: Readonly<Record<string, TargetRules>> = {
  el6: { packageManager: RELEASE_RULES.el6.packageManager, useBootstrap: false, distTag: '.el6', chrootSetup: [...EL_BUILDSYS, 'util-linux-ng'].sort(), mainExtra: [] },
  el7: { packageManager: RELEASE_RULES.el7.packageManager, useBootstrap: false, distTag: '.el7', chrootSetup: [...EL_BUILDSYS, 'util-linux'].sort(), mainExtra: [] },
  el: {
    packageManager: RELEASE_RULES.el.packageManager,
    useBootstrap: true,
    distTag: '.el{releasever}',
    chrootSetup: [...EL_BUILDSYS, 'util-linux'].sort(),
    mainExtra: ['module_platform_id=platform:el{releasever}', 'best=1', 'install_weak_deps=0'],
  },
  fedora: {
    packageManager: RELEASE_RULES.fedora.packageManager,
    useBootstrap: true,
    distTag: '.fc{releasever}',
    chrootSetup: [...EL_BUILDSYS, 'fedora-release', 'glibc-minimal-langpack', 'util-linux'].sort(),
    mainExtra: ['best=1', 'install_weak_deps=0'],
  },
};

/** Where the repo config goes and how each package manager spells the options we need. */
export interface PackageManagerRules {
  /** config_opts key holding the repo configuration. */
  confKey: 'yum.conf' | 'dnf.conf';
  logfile: string;
  /** Option that hides packages of a repo (yum: exclude, dnf: excludepkgs). */
  excludeKey: string;
  /** Options only our repos get so our rebuilt packages win over the base ones. */
  oursExtra: readonly string[];
}

export const PACKAGE_MANAGER_RULES: Readonly<Record<PackageManager, PackageManagerRules>> = {
  // yum honours priority= only with yum-plugin-priorities and protect= with protectbase; the
  // excludes on the base repos are what really guarantee our packages win, these are belt and braces.
  yum: { confKey: 'yum.conf', logfile: '/var/log/yum.log', excludeKey: 'exclude', oursExtra: ['priority=1', 'cost=100', 'protect=1'] },
  // dnf knows priority and cost natively; it warns about protect=, so it is left out.
  dnf: { confKey: 'dnf.conf', logfile: '/var/log/dnf.log', excludeKey: 'excludepkgs', oursExtra: ['priority=1', 'cost=100'] },
};

/** The rules of a platform's mock target; a platform that cannot be a mock target is a DiracosError. */
export function targetRules(platform: PlatformSpec): { key: string; rules: TargetRules; releasever: string } {
  const where = `platforms[${platform.name}]`;
  if (platform.family === 'debian') {
    throw new DiracosError(`${where}: family 'debian' cannot be a mock target (mock builds RPMs for el or fedora)`);
  }
  const releasever = platform.mock?.releasever;
  if (!releasever || !/^\d+$/.test(releasever)) {
    throw new DiracosError(`${where}.mock.releasever: the mock backend needs the release number, e.g. "7" (got ${JSON.stringify(releasever ?? null)})`);
  }
  const major = Number(releasever);
  const key = platform.family === 'el' && major <= 7 ? `el${major}` : platform.family;
  const rules = TARGET_RULES[key];
  if (!rules) throw new DiracosError(`${where}.mock.releasever: no mock rules for ${platform.family} ${releasever}`);
  return { key, rules, releasever };
}

/**
 * The packages a build root needs before anything is ours: the platform's mock.chrootSetup, else its
 * release's; none on Debian (its image is the build root, prepared by its own setup).
 */
export function buildRootPackages(platform: PlatformSpec): readonly string[] {
  if (platform.family === 'debian') return [];
  return platform.mock?.chrootSetup ?? TARGET_RULES[releaseKey(platform)]?.chrootSetup ?? [];
}
