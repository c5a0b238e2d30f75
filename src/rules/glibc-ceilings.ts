/**
 * The newest symbol versions the host of a known platform provides, by platform name. Used when a
 * manifest platform has no `glibc` of its own. GLIBCXX/CXXABI are those of the platform's system
 * libstdc++ (they matter only for an ELF whose libstdc++ is not shipped in the bundle).
 * Debian rows were measured in the images (getconf GNU_LIBC_VERSION, the libstdc++ version nodes);
 * the others are the distributions' released versions.
 */
import { compareVersions, parseVersionName } from '../elf/index.js';

export interface Ceiling {
  glibc: string;
  glibcxx?: string;
  cxxabi?: string;
}

const TABLE: ReadonlyArray<{ names: readonly string[]; ceiling: Ceiling }> = [
  { names: ['slc6', 'el6', 'centos6'], ceiling: { glibc: '2.12', glibcxx: '3.4.13', cxxabi: '1.3.3' } },
  { names: ['cc7', 'el7', 'centos7'], ceiling: { glibc: '2.17', glibcxx: '3.4.19', cxxabi: '1.3.7' } },
  { names: ['el8', 'alma8', 'rocky8', 'rhel8'], ceiling: { glibc: '2.28', glibcxx: '3.4.25', cxxabi: '1.3.11' } },
  { names: ['el9', 'alma9', 'rocky9', 'rhel9'], ceiling: { glibc: '2.34', glibcxx: '3.4.29', cxxabi: '1.3.13' } },
  { names: ['ubuntu-22.04', 'ubuntu22.04', 'ubuntu2204', 'jammy'], ceiling: { glibc: '2.35', glibcxx: '3.4.30', cxxabi: '1.3.13' } },
  { names: ['ubuntu-24.04', 'ubuntu24.04', 'ubuntu2404', 'noble'], ceiling: { glibc: '2.39', glibcxx: '3.4.33', cxxabi: '1.3.15' } },
  { names: ['bullseye', 'debian11', 'debian-11'], ceiling: { glibc: '2.31', glibcxx: '3.4.28', cxxabi: '1.3.12' } },
  { names: ['bookworm', 'debian12', 'debian-12'], ceiling: { glibc: '2.36', glibcxx: '3.4.30', cxxabi: '1.3.13' } },
  { names: ['trixie', 'debian13', 'debian-13'], ceiling: { glibc: '2.41', glibcxx: '3.4.33', cxxabi: '1.3.15' } },
  { names: ['fedora41'], ceiling: { glibc: '2.40', glibcxx: '3.4.33', cxxabi: '1.3.15' } },
  // "fedora" means the latest release: pinned to Fedora 42 (the oldest the name may mean now), so it errs strict.
  { names: ['fedora', 'fedora-latest', 'fedora42'], ceiling: { glibc: '2.41', glibcxx: '3.4.34', cxxabi: '1.3.16' } },
];

/** The ceiling of a known platform name, or undefined. */
export function knownCeiling(platformName: string): Ceiling | undefined {
  return TABLE.find((row) => row.names.includes(platformName))?.ceiling;
}

/** Which ceiling field limits each symbol-version family (families not listed are not checked). */
export const CEILING_FAMILIES: Readonly<Record<string, keyof Ceiling>> = {
  GLIBC: 'glibc',
  GLIBCXX: 'glibcxx',
  CXXABI: 'cxxabi',
};

/** True when a version node like GLIBC_2.34 is newer than the ceiling allows (unknown families: false). */
export function exceedsCeiling(versionName: string, ceiling: Ceiling): boolean {
  const parsed = parseVersionName(versionName);
  const field = parsed && CEILING_FAMILIES[parsed.family];
  const limit = field && ceiling[field];
  if (!parsed || !limit) return false;
  return compareVersions(parsed.version, limit.split('.').map(Number)) > 0;
}
