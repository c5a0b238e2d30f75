import type { PlatformSpec } from '../manifest/types.js';
import type { PackageManager } from '../platform/release-rules.js';

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

/**
 * Whether the base repositories must also hide the packages named like a capability that a package of
 * our repository provides (python3-devel, provided by our CPython): yum has no repository priorities
 * and, among the providers of a capability, prefers the shortest package name (the base python3-devel
 * over diracos-python3.11). dnf takes the provider from the repository of highest priority: ours.
 */
export const HIDES_PROVIDED_NAMES: Readonly<Record<PackageManager, boolean>> = { yum: true, dnf: false };

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
