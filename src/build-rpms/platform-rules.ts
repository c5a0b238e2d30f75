import type { PlatformSpec } from '../manifest/types.js';
import { DiracosError } from '../shared/errors.js';

/** How each platform family gets the BuildRequires our repository does not provide. */
export interface FamilyRules {
  /**
   * The platform's packages are not RPMs (Debian): a generated virtual RPM declaring what the image
   * provides is put in the container's rpm database, so rpmbuild and dnf see it.
   */
  platformProvidesRpm: boolean;
  /** Install every BuildRequires with dnf (RPM platforms), not just those our repository provides. */
  installAllBuildRequires: boolean;
  /** The platform's own repositories are used (RPM platforms, EPEL disabled); else only ours. */
  systemRepos: boolean;
  /** Build containers need the network (to reach the platform's base repositories). */
  network: boolean;
}

export const FAMILY_RULES: Readonly<Record<PlatformSpec['family'], FamilyRules>> = {
  debian: { platformProvidesRpm: true, installAllBuildRequires: false, systemRepos: false, network: false },
  el: { platformProvidesRpm: false, installAllBuildRequires: true, systemRepos: true, network: true },
  fedora: { platformProvidesRpm: false, installAllBuildRequires: true, systemRepos: true, network: true },
};

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
   * backend adds the build root's own packages (mock's chroot setup, see mock-rules.ts).
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
 * Whether the base repositories must also hide the packages named like a capability that a package of
 * our repository provides (python3-devel, provided by our CPython): yum has no repository priorities
 * and, among the providers of a capability, prefers the shortest package name (the base python3-devel
 * over diracos-python3.11). dnf takes the provider from the repository of highest priority: ours.
 */
export const HIDES_PROVIDED_NAMES: Readonly<Record<PackageManager, boolean>> = { yum: true, dnf: false };

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

/** Name of the generated virtual package (Debian platforms). */
export const PLATFORM_PROVIDES_NAME = 'diracos-platform-provides';

/**
 * What a Debian build image provides in RPM terms. Each row is declared only when its `when` path exists
 * in the image, and that path is declared too (file requirements such as /bin/sh or /usr/bin/pkg-config).
 */
export const DEBIAN_PROVIDES: ReadonlyArray<{ when: string; provides: readonly string[] }> = [
  { when: '/bin/sh', provides: ['/usr/bin/sh'] },
  { when: '/bin/bash', provides: ['bash', '/usr/bin/bash'] },
  { when: '/usr/bin/env', provides: ['coreutils'] },
  { when: '/usr/include/stdio.h', provides: ['glibc-devel', 'glibc-headers', 'libc-devel'] },
  { when: '/sbin/ldconfig', provides: ['glibc', 'glibc-common', 'rtld(GNU_HASH)', '/usr/sbin/ldconfig'] },
  { when: '/usr/bin/gcc', provides: ['gcc', 'cpp'] },
  { when: '/usr/bin/g++', provides: ['gcc-c++', 'libstdc++-devel'] },
  { when: '/usr/bin/gfortran', provides: ['gcc-gfortran'] },
  { when: '/usr/bin/make', provides: ['make'] },
  { when: '/usr/bin/pkg-config', provides: ['pkgconfig', 'pkgconf-pkg-config', 'pkgconf'] },
  { when: '/usr/bin/autoconf', provides: ['autoconf'] },
  { when: '/usr/bin/automake', provides: ['automake'] },
  { when: '/usr/bin/libtool', provides: ['libtool'] },
  { when: '/usr/bin/cmake', provides: ['cmake'] },
  { when: '/usr/bin/patch', provides: ['patch'] },
  { when: '/usr/bin/tar', provides: ['tar', '/bin/tar'] },
  { when: '/bin/gzip', provides: ['gzip', '/usr/bin/gzip'] },
  { when: '/bin/bzip2', provides: ['bzip2', '/usr/bin/bzip2'] },
  { when: '/usr/bin/xz', provides: ['xz'] },
  { when: '/usr/bin/unzip', provides: ['unzip'] },
  { when: '/bin/sed', provides: ['sed', '/usr/bin/sed'] },
  { when: '/bin/grep', provides: ['grep', '/usr/bin/grep'] },
  { when: '/usr/bin/gawk', provides: ['gawk', '/usr/bin/awk'] },
  { when: '/usr/bin/find', provides: ['findutils'] },
  { when: '/usr/bin/diff', provides: ['diffutils'] },
  { when: '/usr/bin/file', provides: ['file'] },
  { when: '/usr/bin/cpio', provides: ['cpio'] },
  { when: '/usr/bin/perl', provides: ['perl', 'perl-interpreter'] },
  { when: '/usr/bin/m4', provides: ['m4'] },
  { when: '/usr/bin/bison', provides: ['bison'] },
  { when: '/usr/bin/flex', provides: ['flex'] },
  { when: '/usr/bin/rpmbuild', provides: ['rpm-build'] },
  { when: '/usr/bin/patchelf', provides: ['patchelf'] },
  { when: '/usr/bin/tclsh', provides: ['tcl'] },
];

/** Shared libraries of the image, declared with rpm's own generator (`elfdeps --provides`). */
export const DEBIAN_LIBRARY_GLOBS = ['/lib/*-linux-gnu/*.so*', '/usr/lib/*-linux-gnu/*.so*', '/lib64/*.so*'];

/** What each build backend needs from planning. */
export interface BackendRules {
  /**
   * Planning checks that the build platform satisfies every BuildRequires our packages do not (the
   * container backend installs into the platform image). mock resolves them itself from the platform's
   * base repositories inside its chroot, so a missing one shows in that package's build log instead.
   */
  checkPlatformBuildRequires: boolean;
  /** Platform families the backend can build on. */
  families: ReadonlyArray<PlatformSpec['family']>;
}

export const BACKEND_RULES: Readonly<Record<'container' | 'mock', BackendRules>> = {
  container: { checkPlatformBuildRequires: true, families: ['debian', 'el', 'fedora'] },
  mock: { checkPlatformBuildRequires: false, families: ['el', 'fedora'] },
};

/**
 * rpmbuild settings that make the same inputs give the same RPM bytes, with SOURCE_DATE_EPOCH set in the
 * environment: build time and file times from it, a fixed build host.
 */
export const REPRODUCIBLE_MACROS: Readonly<Record<string, string>> = {
  _buildhost: 'diracos',
  use_source_date_epoch_as_buildtime: '1',
  clamp_mtime_to_source_date_epoch: '1',
};

/**
 * SOURCE_DATE_EPOCH of the builds when the manifest gives none (or 0, which rpm takes as unset and then
 * leaves file times as they are): 2000-01-01T00:00:00Z.
 */
export const DEFAULT_SOURCE_DATE_EPOCH = 946684800;
