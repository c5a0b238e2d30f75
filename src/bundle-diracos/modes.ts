/**
 * The mode pass, just before the tarball: every file and directory of the bundle loses the bits the
 * payload-mode rules refuse (src/rules/payload-modes.ts: setuid, setgid, world-writable), whoever
 * put them there (an RPM payload, pip, a copied link target). Each change is returned, so the stage
 * names every entry (and the package that shipped it) instead of shipping it silently.
 */
import { chmodSync, statSync } from 'node:fs';
import { describeVerdict, judgeMode, type ModeVerdict } from '../rules/payload-modes.js';
import { walkTree } from './walk.js';

export interface ModeChange {
  /** Bundle-relative path ('' for the top folder). */
  rel: string;
  kind: 'file' | 'directory';
  verdict: ModeVerdict;
}

/** Removes the refused bits from `root` (the tarball's top folder) and every entry in it; returns what it changed, in walk order. */
export function stripModes(root: string): ModeChange[] {
  const changes: ModeChange[] = [];
  const top = judgeMode(statSync(root).mode);
  if (top) {
    chmodSync(root, top.to);
    changes.push({ rel: '', kind: 'directory', verdict: top });
  }
  for (const e of walkTree(root)) {
    if (e.stat.isSymbolicLink()) continue;
    const verdict = judgeMode(e.stat.mode);
    if (!verdict) continue;
    chmodSync(e.path, verdict.to);
    changes.push({ rel: e.rel, kind: e.stat.isDirectory() ? 'directory' : 'file', verdict });
  }
  return changes;
}

/** One line per change: `/usr/bin/x (file of pkg.rpm): setuid (4755 -> 0755) removed`. */
export function describeModeChange(c: ModeChange, owner?: string): string {
  return `/${c.rel} (${c.kind}${owner ? ` of ${owner}` : ''}): ${describeVerdict(c.verdict)} removed`;
}
