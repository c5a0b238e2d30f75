/** What the checks of test-platforms produce. */

/** One thing wrong, named by the file (path inside the bundle) or item it is about. */
export interface Failure {
  item: string;
  message: string;
}

/** One check on one platform (or on the pseudo-platform `static`). */
export interface CheckResult {
  check: string;
  passed: number;
  failures: Failure[];
  /** Worth telling but not failing (e.g. a knownMissing library that is no longer missing). */
  warnings: string[];
}

export interface PlatformResult {
  name: string;
  required: boolean;
  checks: CheckResult[];
}

export function newCheck(check: string): CheckResult {
  return { check, passed: 0, failures: [], warnings: [] };
}

/** Counts one item: passed when it added no failure since `before`. */
export function countItem(result: CheckResult, failuresBefore: number): void {
  if (result.failures.length === failuresBefore) result.passed++;
}

export function failedItems(result: CheckResult): number {
  return new Set(result.failures.map((f) => f.item)).size;
}

export function platformOk(p: PlatformResult): boolean {
  return p.checks.every((c) => c.failures.length === 0);
}
