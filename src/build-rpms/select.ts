import type { ResolvedPackage } from '../manifest/resolve.js';
import { globToRegExp } from '../shared/glob.js';

/**
 * Whether a built binary RPM enters the repository: its name is in `pkgList` (when given) and its
 * file name matches none of `excludePatterns`. Source RPMs always enter.
 */
export function keepsRpm(p: Pick<ResolvedPackage, 'pkgList' | 'excludePatterns'>, rpmName: string, fileName: string): boolean {
  if (p.pkgList && !p.pkgList.includes(rpmName)) return false;
  return !p.excludePatterns.some((g) => globToRegExp(g).test(fileName));
}
