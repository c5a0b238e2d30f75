import type { ResolvedPackage } from '../manifest/resolve.js';

/** A shell-style glob (`*`, `?`) as an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/**
 * Whether a built binary RPM enters the repository: its name is in `pkgList` (when given) and its
 * file name matches none of `excludePatterns`. Source RPMs always enter.
 */
export function keepsRpm(p: Pick<ResolvedPackage, 'pkgList' | 'excludePatterns'>, rpmName: string, fileName: string): boolean {
  if (p.pkgList && !p.pkgList.includes(rpmName)) return false;
  return !p.excludePatterns.some((g) => globToRegExp(g).test(fileName));
}

/** N from an RPM file name N-V-R.A.rpm. */
export function rpmNameOfFile(fileName: string): string {
  return fileName.replace(/\.rpm$/, '').split('-').slice(0, -2).join('-');
}
