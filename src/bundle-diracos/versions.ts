/** versions.txt: what the bundle holds, published next to the tarball. */
import { renameSync, writeFileSync } from 'node:fs';

/** Sorted `name-version-release.arch` lines, then a `# pip` section with `name==version` lines. */
export function renderVersions(nevras: readonly string[], pipFreeze: readonly string[]): string {
  const sorted = [...nevras].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [...sorted, '# pip', ...pipFreeze].map((l) => `${l}\n`).join('');
}

export function writeVersions(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
