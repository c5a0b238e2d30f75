/**
 * The package manager commands of build containers and image preparation, as shell text: dnf's
 * options, yum's repo files (yum has no --repofrompath, and its --setopt cannot set list options),
 * the replacement of an image's stock repositories by the platform's baseRepos, and installs.
 * Which one applies is RELEASE_RULES' packageManager; nothing here runs anything.
 */
import type { PlatformSpec } from '../manifest/types.js';
import { DiracosError } from '../shared/errors.js';
import { fileUrl } from '../shared/file-url.js';
import { buildRootPackages } from './mock-rules.js';
import { DISABLED_REPOS, REPO_FILES, releaseRules, type FamilyRules, type PackageManager } from './platform-rules.js';
import { shJoin, shQuote } from '../shared/shell.js';

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

/** One `[id]` section of a .repo file; values are checked to stay on their line. */
function repoSection(id: string, options: ReadonlyArray<[string, string]>): string[] {
  const lines = [`[${id}]`, ...options.map(([k, v]) => `${k}=${v}`), ''];
  for (const line of lines) {
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x1f\x7f]/.test(line)) throw new DiracosError(`repository setting ${JSON.stringify(line)} contains a control character`);
  }
  if (!/^[A-Za-z0-9._:-]+$/.test(id)) throw new DiracosError(`repo id ${JSON.stringify(id)} may only contain letters, digits and . _ : -`);
  return lines;
}

/**
 * The platform's baseRepos as a .repo file: checked by https, no keys in the manifest (gpgcheck=0, as in
 * the mock config), after ours (priority, cost), without the `exclude` names.
 */
export function baseRepoFile(platform: PlatformSpec, exclude: readonly string[] = []): string[] {
  const names = [...new Set(exclude)].sort();
  return (platform.baseRepos ?? []).flatMap((r) =>
    repoSection(r.name, [
      ['name', r.name],
      ['baseurl', r.baseurl],
      ['enabled', '1'],
      ['gpgcheck', '0'],
      ['skip_if_unavailable', '0'],
      ['priority', '99'],
      ['cost', '1000'],
      ...(names.length > 0 ? [['exclude', names.join(' ')] as [string, string]] : []),
    ]),
  );
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

/** A shell command writing `lines` to `path` (each line a quoted printf argument: nothing expands). */
export function writeFileCommand(path: string, lines: readonly string[]): string {
  // $releasever and $basearch in a baseurl are yum's and dnf's to expand.
  return `# shellcheck disable=SC2016\nprintf '%s\\n' ${shJoin(lines.length > 0 ? [...lines] : [''])} >${shQuote(path)}`;
}

/**
 * Image preparation, before the platform's own setup: on an RPM platform with baseRepos, the stock
 * repo files are moved aside and the baseRepos written in their place; then `packages` are installed
 * with the release's package manager (EPEL disabled). Nothing on Debian (its setup installs with apt).
 */
export function imageSetupCommands(platform: PlatformSpec, packages: readonly string[]): string[] {
  if (platform.family === 'debian') return [];
  const out: string[] = [];
  if ((platform.baseRepos ?? []).length > 0) {
    const dir = REPO_FILES.dir;
    out.push(
      [
        `mkdir -p ${dir}`,
        `for f in ${dir}/*.repo; do`,
        `  if [ -e "$f" ] && [ "$f" != ${dir}/${REPO_FILES.base} ] && [ "$f" != ${dir}/${REPO_FILES.ours} ]; then mv -f -- "$f" "$f${REPO_FILES.stockSuffix}"; fi`,
        'done',
        writeFileCommand(`${dir}/${REPO_FILES.base}`, baseRepoFile(platform)),
      ].join('\n'),
    );
  }
  if (packages.length > 0) out.push(installCommand(releaseRules(platform).packageManager, packages));
  return out;
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

/** Installs packages (names or BuildRequires lines such as `foo-devel >= 1.2`) from the enabled repositories, EPEL never. */
export function installCommand(pm: PackageManager, packages: readonly string[], extra: readonly string[] = []): string {
  // No --nogpgcheck: the repo files say whether to check (stock ones do; ours and the baseRepos carry no keys).
  const disable = DISABLED_REPOS.map((r) => `--disablerepo=${r}`);
  const options = pm === 'yum' ? ['-y', ...disable] : ['-y', ...disable, '--setopt=install_weak_deps=False'];
  return `${pm} ${shJoin([...options, ...extra, 'install', ...packages])}`;
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
