/**
 * The package manager commands of build containers, as shell text: dnf's options with our
 * repositories, yum's repo files, the build image's setup (the platform's image preparation of
 * platform/image-setup.ts plus what builds need). Which one applies is RELEASE_RULES' packageManager;
 * nothing here runs anything.
 */
import type { PlatformSpec } from '../manifest/types.js';
import { baseRepoFile, imageSetupCommands, installCommand, repoSection, writeFileCommand } from '../platform/image-setup.js';
import { DISABLED_REPOS, REPO_FILES, releaseRules } from '../platform/release-rules.js';
import { fileUrl } from '../shared/file-url.js';
import { buildRootPackages } from './mock-rules.js';
import type { FamilyRules } from './platform-rules.js';

/** One of our repositories as the build container sees it. */
export interface OurRepo {
  id: string;
  dir: string;
}

/** Names of our repo files' sections (the container backend's repo ids). */
const OUR_REPO_NAMES: Readonly<Record<string, string>> = {
  diracos: 'DIRACOS rebuilt packages',
  'diracos-buildonly': 'DIRACOS build-only packages',
};

/**
 * dnf's repository options inside a build container: ours (file://, mounted read-only) plus, on RPM
 * platforms, the platform's base repositories (declared ones, else its configured ones), EPEL never.
 * `exclude`: RPM names hidden in the declared base repositories (those our repository holds), so ours
 * win whatever their versions.
 */
export function dnfRepoArgs(platform: PlatformSpec, rules: FamilyRules, ourRepos: readonly OurRepo[], exclude: readonly string[] = []): string[] {
  const declared = rules.systemRepos ? (platform.baseRepos ?? []) : [];
  const useConfigured = rules.systemRepos && declared.length === 0;
  const names = [...new Set(exclude)].sort();
  return [
    ...(useConfigured ? DISABLED_REPOS.map((r) => `--disablerepo=${r}`) : ['--setopt=reposdir=/dev/null']),
    ...declared.map((r) => `--repofrompath=${r.name},${r.baseurl}`),
    ...(names.length > 0 ? declared.map((r) => `--setopt=${r.name}.excludepkgs=${names.join(',')}`) : []),
    ...ourRepos.map((r) => `--repofrompath=${r.id},${fileUrl(r.dir)}`),
    '--nogpgcheck',
    '--setopt=install_weak_deps=False',
    // Debian has no release package for dnf to read $releasever from.
    ...(rules.systemRepos ? [] : ['--releasever=0']),
  ];
}

/** Our repositories as a .repo file: first choice (priority, cost), metadata always fresh. */
export function ourRepoFile(ourRepos: readonly OurRepo[]): string[] {
  return ourRepos.flatMap((r) =>
    repoSection(r.id, [
      ['name', OUR_REPO_NAMES[r.id] ?? r.id],
      ['baseurl', `file://${r.dir}`],
      ['enabled', '1'],
      ['gpgcheck', '0'],
      ['skip_if_unavailable', '0'],
      ['metadata_expire', '0'],
      ['priority', '1'],
      ['cost', '100'],
    ]),
  );
}

/**
 * The setup of the build image, in front of the platform's own: stock repositories replaced by the
 * baseRepos, then what planning needs (RELEASE_RULES.imagePackages) and, for the container backend,
 * whose image is the build root, the build root's packages (as mock's chroot setup).
 */
export function buildImageSetup(platform: PlatformSpec, backend: 'container' | 'mock'): string[] {
  const packages = [...releaseRules(platform).imagePackages, ...(backend === 'container' ? buildRootPackages(platform) : [])];
  return [...imageSetupCommands(platform, [...new Set(packages)]), ...(platform.setup ?? [])];
}

/**
 * yum in a build container (EL6/EL7): our repositories written to their repo file and, when the
 * platform declares baseRepos, the base repo file rewritten hiding the names our repository holds;
 * then the install.
 */
export function yumInstallScript(platform: PlatformSpec, ourRepos: readonly OurRepo[], exclude: readonly string[], packages: readonly string[]): string[] {
  const dir = REPO_FILES.dir;
  return [
    `mkdir -p ${dir}`,
    writeFileCommand(`${dir}/${REPO_FILES.ours}`, ourRepoFile(ourRepos)),
    ...((platform.baseRepos ?? []).length > 0 ? [writeFileCommand(`${dir}/${REPO_FILES.base}`, baseRepoFile(platform, exclude))] : []),
    installCommand('yum', packages),
  ];
}
