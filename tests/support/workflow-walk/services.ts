/**
 * The artifact and cache services of one workflow run, as local folders with GitHub's rules:
 * - artifacts: one per name in a run; a second upload of a name is refused (409 Conflict) unless it
 *   deletes the first (overwrite). The walk is stricter than GitHub on one point: an artifact replaced
 *   by another job of the same attempt is reported (two jobs writing one name lose one's files; only a
 *   re-run attempt may replace an artifact).
 * - cache: an entry is (key, version = the path list); keys are immutable (the first save wins); a
 *   restore takes the exact key, else for each restore key the newest entry starting with it.
 * Our actions reach the same folders through DIRACOS_LOCAL_SERVICES (their local stand-ins for the
 * services), so an artifact an action uploads is one a download-artifact step finds, and the other way.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LocalCache } from '../../../src/cache/local.js';

export interface ArtifactRecord {
  attempt: number;
  /** The job (instance) that uploaded it. */
  by: string;
  /** Identity of the folder as last seen (an upload renames a new one into place). */
  stamp: string;
}

export class WalkServices {
  readonly artifactsDir: string;
  /** What our actions' cache stand-in uses (they give no version: one namespace). */
  readonly actionsCacheDir: string;
  private readonly workflowCacheDir: string;
  readonly artifacts = new Map<string, ArtifactRecord>();
  /** Wiring errors found by the services (duplicate artifact names). */
  readonly problems: string[] = [];

  constructor(readonly dir: string) {
    this.artifactsDir = join(dir, 'artifacts');
    this.actionsCacheDir = join(dir, 'cache');
    this.workflowCacheDir = join(dir, 'workflow-cache');
    mkdirSync(this.artifactsDir, { recursive: true });
  }

  /** The environment our actions need to use these folders as their services. */
  actionEnv(): Record<string, string> {
    return { DIRACOS_LOCAL_SERVICES: this.dir };
  }

  artifactNames(): string[] {
    return readdirSync(this.artifactsDir).filter((n) => !n.startsWith('.')).sort();
  }

  artifactPath(name: string): string {
    return join(this.artifactsDir, name);
  }

  private stamp(name: string): string {
    const s = statSync(this.artifactPath(name), { bigint: true });
    return `${s.ino}:${s.mtimeNs}`;
  }

  /** Records an upload seen in the folder; reports a name written twice in one attempt. */
  private record(name: string, attempt: number, by: string): void {
    const prev = this.artifacts.get(name);
    if (prev && prev.attempt === attempt) {
      this.problems.push(`duplicate artifact name '${name}': uploaded by ${prev.by}, then replaced by ${by} in the same run attempt (one of them lost its files)`);
    }
    this.artifacts.set(name, { attempt, by, stamp: this.stamp(name) });
  }

  /** After an action ran: the artifacts it uploaded (folders new or replaced since the last look). */
  scanActionUploads(attempt: number, by: string): string[] {
    const changed = this.artifactNames().filter((n) => this.artifacts.get(n)?.stamp !== this.stamp(n));
    for (const n of changed) this.record(n, attempt, by);
    return changed;
  }

  /** upload-artifact: the files (absolute, under root) as artifact `name`. */
  uploadArtifact(name: string, files: string[], root: string, opts: { overwrite: boolean; attempt: number; by: string }): void {
    if (!/^[^"/:<>|*?\\\r\n]+$/.test(name)) throw new Error(`The artifact name is not valid: ${name}`);
    const target = this.artifactPath(name);
    if (existsSync(target) && !opts.overwrite) {
      throw new Error('Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run');
    }
    const tmp = join(this.artifactsDir, `.upload-${randomBytes(6).toString('hex')}`);
    for (const f of files) {
      const rel = f.slice(root.length + 1);
      mkdirSync(dirname(join(tmp, rel)), { recursive: true });
      cpSync(f, join(tmp, rel));
    }
    mkdirSync(tmp, { recursive: true });
    rmSync(target, { recursive: true, force: true });
    renameSync(tmp, target);
    this.record(name, opts.attempt, opts.by);
  }

  /** The cache of actions/cache steps for one path list (GitHub keys entries by key and version). */
  workflowCache(paths: string[]): LocalCache {
    const version = createHash('sha256').update(paths.join('|')).digest('hex').slice(0, 16);
    return new LocalCache(join(this.workflowCacheDir, version));
  }
}
