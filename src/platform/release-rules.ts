/**
 * What differs between the releases of the platform families, as data, for every stage that prepares a
 * platform's image: the package manager, how specs are read, the packages an image needs, where the
 * repositories are; and how a platform's release is known (mock.releasever or its image name).
 */
import type { PlatformSpec } from '../manifest/types.js';
import { DiracosError } from '../shared/errors.js';

/** Repositories never used to build, whatever the platform has configured (DIRACOS rebuilds what EPEL has). */
export const DISABLED_REPOS = ['epel*'];

export type PackageManager = 'yum' | 'dnf';

/**
 * What differs between the releases of a family, keyed by `releaseKey`: `el6`, `el7`, `el` (EL 8 and
 * later), `fedora`, `debian`. Every rule that depends on the release reads this table.
 */
export interface ReleaseRules {
  /**
   * The package manager of the build image and of mock's chroot: yum up to EL7, dnf from EL8 and on
   * Fedora; Debian images carry Debian's dnf, which installs from our repository only.
   */
  packageManager: PackageManager;
  /**
   * How planning reads specs: `rpmspec` (rpm >= 4.9), or on EL6's rpm 4.8, which has no rpmspec, rpm's
   * own Python bindings (`rpm.spec`: subpackages, Provides, Source/Patch lines) plus `rpmbuild -bs
   * --nodeps` over empty stand-ins of the sources, whose source RPM header holds the BuildRequires.
   */
  specQuery: 'rpmspec' | 'rpm-python';
  /**
   * Packages the build image gets from the base repositories before anything is ours: what planning
   * (spec queries, the check of the platform's repositories) and source RPMs need. The container
   * backend adds the build root's own packages (mock's chroot setup, see build-rpms/mock-rules.ts).
   */
  imagePackages: readonly string[];
}

export const RELEASE_RULES: Readonly<Record<ReleaseKey, ReleaseRules>> = {
  // rpmbuild, rpmspec and dnf are in the Debian build image already (its setup installs the rest).
  debian: { packageManager: 'dnf', specQuery: 'rpmspec', imagePackages: [] },
  // rpm-python is yum's own dependency (named for clarity); yum-utils has repoquery.
  el6: { packageManager: 'yum', specQuery: 'rpm-python', imagePackages: ['rpm-build', 'rpm-python', 'yum-utils'] },
  // rpmspec is in EL7's rpm-build.
  el7: { packageManager: 'yum', specQuery: 'rpmspec', imagePackages: ['rpm-build', 'yum-utils'] },
  // `dnf repoquery` is dnf's own.
  el: { packageManager: 'dnf', specQuery: 'rpmspec', imagePackages: ['rpm-build'] },
  fedora: { packageManager: 'dnf', specQuery: 'rpmspec', imagePackages: ['rpm-build'] },
};

export type ReleaseKey = 'debian' | 'el6' | 'el7' | 'el' | 'fedora';

/**
 * The major release of well-known image names, for platforms that do not state it (mock.releasever):
 * `centos:7`, `centos:centos7`, `quay.io/centos/centos:stream9`, `rockylinux:8`, `almalinux:9-minimal`,
 * CERN's `linuxsupport/slc6-base`, `cc7-base`, `alma9-base`, Red Hat's `ubi8/ubi`.
 */
export const IMAGE_RELEASES: ReadonlyArray<RegExp> = [
  /(?:^|\/)(?:centos|rockylinux|almalinux|oraclelinux|scientificlinux|sl):(?:centos|stream)?(\d+)(?:[.-]|$)/,
  /(?:^|\/)(?:slc|cc|alma|rocky|rhel|ubi|el)(\d+)(?:[-/:]|$)/,
  /(?:^|\/)fedora:(\d+)(?:[.-]|$)/,
];

/** The platform's major release: mock.releasever, else read from a well-known image name, else undefined. */
export function platformRelease(platform: PlatformSpec): string | undefined {
  if (platform.mock?.releasever) return platform.mock.releasever;
  for (const re of IMAGE_RELEASES) {
    const m = re.exec(platform.image);
    if (m) return m[1];
  }
  return undefined;
}

/** The RELEASE_RULES row of a platform; an EL platform whose release is unknown is a DiracosError. */
export function releaseKey(platform: PlatformSpec): ReleaseKey {
  if (platform.family !== 'el') return platform.family;
  const release = platformRelease(platform);
  const where = `platforms[${platform.name}]`;
  if (release === undefined || !/^\d+$/.test(release)) {
    throw new DiracosError(
      `${where}: cannot tell the EL release of image '${platform.image}' (yum on EL6/EL7, dnf from EL8, no rpmspec on EL6): ` +
        `set ${where}.mock.releasever, e.g. "7"`,
    );
  }
  const major = Number(release);
  if (major < 6) throw new DiracosError(`${where}: EL ${release} is not supported (EL6 and later)`);
  return major === 6 ? 'el6' : major === 7 ? 'el7' : 'el';
}

export function releaseRules(platform: PlatformSpec): ReleaseRules {
  return RELEASE_RULES[releaseKey(platform)];
}

/**
 * Where an RPM image's repositories are. The stock repo files of centos:6 and centos:7 point at the
 * retired mirror list: when the platform declares baseRepos, image preparation moves every stock
 * `*.repo` aside (renamed with STOCK_SUFFIX, which yum and dnf ignore) and writes the baseRepos to
 * BASE_FILE, so yum, dnf and the platform's own setup commands all use them. Builds then write our
 * repositories to OURS_FILE (yum has no --repofrompath).
 */
export const REPO_FILES = {
  dir: '/etc/yum.repos.d',
  base: 'diracos-base.repo',
  ours: 'diracos.repo',
  stockSuffix: '.diracos-stock',
} as const;
