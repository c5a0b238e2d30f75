/** The newest symbol version an object (or a whole bundle) requires, per family: GLIBC_2.17, GLIBCXX_3.4.21... */
import type { VersionNeed } from './reader.js';

/** FAMILY_1.2.3; GLIBC_PRIVATE and friends are not numbered and are skipped. */
const VERSIONED = /^([A-Z][A-Z_]*?)_(\d+(?:\.\d+)*)$/;

export function parseVersionName(name: string): { family: string; version: number[] } | undefined {
  const m = VERSIONED.exec(name);
  return m ? { family: m[1], version: m[2].split('.').map(Number) } : undefined;
}

export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** family -> newest version string required, over all the given needs (e.g. { GLIBC: '2.34', GLIBCXX: '3.4.21' }). */
export function newestVersions(needs: Iterable<VersionNeed>): Record<string, string> {
  const best = new Map<string, number[]>();
  for (const need of needs) {
    for (const name of need.versions) {
      const v = parseVersionName(name);
      if (!v) continue;
      const cur = best.get(v.family);
      if (!cur || compareVersions(v.version, cur) > 0) best.set(v.family, v.version);
    }
  }
  return Object.fromEntries([...best].sort(([a], [b]) => a.localeCompare(b)).map(([f, v]) => [f, v.join('.')]));
}
