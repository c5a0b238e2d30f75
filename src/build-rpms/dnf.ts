import type { PlatformSpec } from '../manifest/types.js';
import { fileUrl } from '../shared/file-url.js';
import { DISABLED_REPOS, type FamilyRules } from './platform-rules.js';

/**
 * dnf's repository options inside a build container: ours (file://, mounted read-only) plus, on RPM
 * platforms, the platform's base repositories (declared ones, else its configured ones), EPEL never.
 */
export function dnfRepoArgs(platform: PlatformSpec, rules: FamilyRules, ourRepos: ReadonlyArray<{ id: string; dir: string }>): string[] {
  const declared = rules.systemRepos ? (platform.baseRepos ?? []) : [];
  const useConfigured = rules.systemRepos && declared.length === 0;
  return [
    ...(useConfigured ? DISABLED_REPOS.map((r) => `--disablerepo=${r}`) : ['--setopt=reposdir=/dev/null']),
    ...declared.map((r) => `--repofrompath=${r.name},${r.baseurl}`),
    ...ourRepos.map((r) => `--repofrompath=${r.id},${fileUrl(r.dir)}`),
    '--nogpgcheck',
    '--setopt=install_weak_deps=False',
    // Debian has no release package for dnf to read $releasever from.
    ...(rules.systemRepos ? [] : ['--releasever=0']),
  ];
}
