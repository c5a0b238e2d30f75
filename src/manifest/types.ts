/**
 * The manifest (`diracos.yaml`) after validation, with paths still as written.
 * `resolve.ts` turns it into the flat per-package view the stages use.
 */

/** A local file or folder. */
export type PathSource = { path: string; sha256?: string; fileName?: string };
/**
 * One file and the ways to download it: the urls (mirrors) in order, then the Debian source package.
 * At least one of url and apt; without sha256 it is not locked yet (`diracos lock`).
 */
export type DownloadSource = { url?: string[]; apt?: string; version?: string; sha256?: string; fileName?: string };
/** Where a file comes from. */
export type SourceSpec = PathSource | DownloadSource;

/** Build options that packages inherit from `build`, then their group. */
export interface BuildOptions {
  defines?: Record<string, string>;
  with?: string[];
  without?: string[];
  check?: boolean;
  buildOnly?: boolean;
  pkgList?: string[];
  excludePatterns?: string[];
  /** Shell commands run in the build container before the build (after the BuildRequires are installed). */
  preSteps?: string[];
  /** A shell command run in the build container instead of `rpmbuild -ba` (container backend). */
  buildCommand?: string;
  /** Shell commands run (on the build platform) after the package entered the repo. */
  postSteps?: string[];
}

/** Additions to the build platform for a group's or a package's builds. */
export interface PlatformOptions {
  /** Shell commands run after the platform's setup (the builds use that prepared image). */
  setup?: string[];
  /** mock: packages added to the platform's chroot setup. */
  chrootSetup?: string[];
}

/** Where a group or package builds, when not on `build.platform` with its plain settings. */
export interface Placement {
  /** A platform name from `platforms`. */
  platform?: string;
  platformOptions?: PlatformOptions;
}

export interface PackageSpec extends BuildOptions, Placement {
  name: string;
  /** A source RPM to rebuild. */
  srpm?: SourceSpec;
  /** A spec file of ours, with the sources its SourceN lines name; beside srpm it replaces the SRPM's spec. */
  spec?: string;
  sources?: SourceSpec[];
  /** An upstream tarball that carries its own spec (`rpmbuild -ta`). */
  tarball?: SourceSpec;
  /** Prebuilt binary RPMs put into the repository as they are. */
  rpms?: SourceSpec[];
  patches?: string[];
  /** With srpm: patches applied (`patch -p1`) to the unpacked SRPM before the rebuild. */
  specPatches?: string[];
}

export interface PackageGroup extends BuildOptions, Placement {
  name: string;
  /** Bootstrap groups build before everything else (e.g. gdb without python for mock). */
  bootstrap?: boolean;
  packages: PackageSpec[];
}

export interface BuildSection extends BuildOptions {
  backend?: 'container' | 'mock';
  /** Name of the platform (from `platforms`) the RPMs are built on. */
  platform: string;
  packageGroups: PackageGroup[];
}

export interface PythonSection {
  version: string;
  source: SourceSpec;
  configureOptions?: string[];
  /** RPM name; default `diracos-python<major>.<minor>`. */
  rpmName?: string;
}

export interface PipSection {
  requirements?: string[];
  requirementsFile?: string;
  indexUrl?: string;
  findLinks?: string[];
  noIndex?: boolean;
}

export interface BundleSection {
  ignoredPackages?: string[];
  excludedPackages?: string[];
  manualDependencies?: string[];
  removedFolders?: string[];
  /** Copy a missing NEEDED library from the build platform instead of failing. */
  graftLibraries?: boolean;
  compression?: 'gzip' | 'zstd';
  pip?: PipSection;
  environment?: Record<string, string>;
}

export interface PlatformSpec {
  name: string;
  image: string;
  /** Package family: how setup installs things and which host-library policy applies. */
  family: 'debian' | 'el' | 'fedora';
  setup?: string[];
  env?: Record<string, string>;
  /** Required platforms fail the run; the others may fail with a warning. */
  required?: boolean;
  /** Highest glibc the bundle may need to run here, e.g. "2.17". */
  glibc?: string;
  knownMissing?: string[];
  /** Modules of tests.modules whose failed import is a warning here (v1's graphic modules). */
  modulesAllowedToFail?: string[];
  /** Base repositories for RPM platforms (mock and dnf/yum resolution); EPEL is never added. */
  baseRepos?: Array<{ name: string; baseurl: string }>;
  /** mock's target for RPM platforms, e.g. { releasever: "7", distTag: ".el7" }. */
  mock?: { releasever?: string; distTag?: string; chrootSetup?: string[] };
}

export interface TestSection {
  modules?: string[];
  commands?: string[];
  script?: string;
  /** Links the bundle stage is known to remove (paths inside the bundle), compared with brokenLinks.txt. */
  knownBrokenLinks?: string[];
}

export interface Manifest {
  version: string;
  arch?: string;
  repository: string;
  /** Folders outside the manifest's folder that its input paths may lead into. */
  allowPathsOutside?: string[];
  sourceDateEpoch?: number;
  python: PythonSection;
  build: BuildSection;
  bundle?: BundleSection;
  platforms: PlatformSpec[];
  tests?: TestSection;
}
