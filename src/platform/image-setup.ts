/**
 * The preparation of a platform's image, as shell text, for every stage that runs one (builds, tests):
 * on an RPM platform with baseRepos, the stock repositories replaced by them (yum has no
 * --repofrompath, and its --setopt cannot set list options), and installs with the release's package
 * manager, EPEL never. Nothing here runs anything.
 */
import type { PlatformSpec } from '../manifest/types.js';
import { DiracosError } from '../shared/errors.js';
import { shJoin, shQuote } from '../shared/shell.js';
import { DISABLED_REPOS, REPO_FILES, releaseRules, type PackageManager } from './release-rules.js';

/** One `[id]` section of a .repo file; values are checked to stay on their line. */
export function repoSection(id: string, options: ReadonlyArray<[string, string]>): string[] {
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

/** Installs packages (names or BuildRequires lines such as `foo-devel >= 1.2`) from the enabled repositories, EPEL never. */
export function installCommand(pm: PackageManager, packages: readonly string[], extra: readonly string[] = []): string {
  // No --nogpgcheck: the repo files say whether to check (stock ones do; ours and the baseRepos carry no keys).
  const disable = DISABLED_REPOS.map((r) => `--disablerepo=${r}`);
  const options = pm === 'yum' ? ['-y', ...disable] : ['-y', ...disable, '--setopt=install_weak_deps=False'];
  return `${pm} ${shJoin([...options, ...extra, 'install', ...packages])}`;
}
