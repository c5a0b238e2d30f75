import { ArtifactNotFoundError, DefaultArtifactClient } from '@actions/artifact';
import * as actionsCache from '@actions/cache';
import { join } from 'node:path';
import { LocalArtifactStore, LocalCache } from '../../cache/local.js';
import type { ArtifactStore, Cache } from '../../cache/types.js';
import type { Reporter } from '../../reporting/reporter.js';
import { DiracosError } from '../../shared/errors.js';

/**
 * The GitHub services as the runner announces them to JavaScript actions. On GitHub every job has
 * them; a service that is announced and then fails fails the step. The local folders stand in only
 * where no service is announced at all (a local run, a test): never as a silent fallback on GitHub,
 * where a folder under RUNNER_TEMP vanishes with the job and the next job would miss what it needs.
 */
export type ServiceMode = 'github' | 'local';

const SERVICE_VARIABLES = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL', 'ACTIONS_CACHE_URL'] as const;

/** 'local' only when the runner announced no service at all; a partial announcement is an error. */
export function artifactServiceMode(env: NodeJS.ProcessEnv = process.env): ServiceMode {
  if (!SERVICE_VARIABLES.some((v) => env[v])) return 'local';
  const missing = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL'].filter((v) => !env[v]);
  if (missing.length > 0) {
    throw new DiracosError(`GitHub artifacts: the runner gives ${presentVariables(env)} but not ${missing.join(', ')}: the artifact service cannot be reached from this job`);
  }
  return 'github';
}

export function cacheServiceMode(env: NodeJS.ProcessEnv = process.env, featureAvailable = () => actionsCache.isFeatureAvailable()): ServiceMode {
  if (!SERVICE_VARIABLES.some((v) => env[v])) return 'local';
  if (!env.ACTIONS_RUNTIME_TOKEN || !(env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL) || !featureAvailable()) {
    throw new DiracosError(
      `GitHub cache: the runner gives ${presentVariables(env)} but the cache service is not usable from this job; ` +
        "give the action 'cache: false' to build without the repository cache",
    );
  }
  return 'github';
}

function presentVariables(env: NodeJS.ProcessEnv): string {
  return SERVICE_VARIABLES.filter((v) => env[v]).join(', ');
}

/**
 * The folders standing in for the services in a local run: DIRACOS_LOCAL_SERVICES when set (several
 * local jobs share one, as the jobs of a workflow share the services), else under RUNNER_TEMP.
 */
export function fallbackDirs(env: NodeJS.ProcessEnv = process.env): { cache: string; artifacts: string } {
  const base = env.DIRACOS_LOCAL_SERVICES || join(env.RUNNER_TEMP || join(process.cwd(), '.runner-temp'), 'diracos-local');
  return { cache: join(base, 'cache'), artifacts: join(base, 'artifacts') };
}

/** Warns once that a local folder stands in for a service. */
class LocalNotice {
  private warned = false;
  constructor(
    private readonly what: string,
    private readonly reporter: Reporter,
    private readonly folder: string,
  ) {}

  warn(): void {
    if (this.warned) return;
    this.warned = true;
    this.reporter.warning(`GitHub ${this.what}: no service in this run (not on a GitHub runner); using the local folder ${this.folder} instead`);
  }
}

function failure(what: string, e: unknown): DiracosError {
  if (e instanceof DiracosError) return e;
  return new DiracosError(`GitHub ${what} failed: ${(e as Error)?.message ?? String(e)}`);
}

/** Cache over @actions/cache, or a LocalCache where no service is announced. Keys are immutable in both. */
export class GitHubCache implements Cache {
  private readonly notice: LocalNotice;
  constructor(
    reporter: Reporter,
    private readonly local: LocalCache = new LocalCache(fallbackDirs().cache),
    private chosen?: ServiceMode,
  ) {
    this.notice = new LocalNotice('cache', reporter, local.dir);
  }

  /** Decided on first use: an action that never touches the cache does not depend on it. */
  private get mode(): ServiceMode {
    return (this.chosen ??= cacheServiceMode());
  }

  async restore(paths: string[], key: string, restoreKeys: string[] = []): Promise<string | undefined> {
    if (this.mode === 'local') {
      this.notice.warn();
      return this.local.restore(paths, key, restoreKeys);
    }
    // @actions/cache reports a failed download itself (a warning) and returns a miss: the build then
    // rebuilds what it needs. What it throws (an invalid key, a denied read) fails the step.
    try {
      return await actionsCache.restoreCache(paths, key, restoreKeys);
    } catch (e) {
      throw failure(`cache: restoring '${key}'`, e);
    }
  }

  async save(paths: string[], key: string): Promise<void> {
    if (this.mode === 'local') {
      this.notice.warn();
      // As on GitHub, an entry is never replaced: the first save of a key wins.
      if ((await this.local.lookup(key)) === key) return;
      return this.local.save(paths, key);
    }
    try {
      await actionsCache.saveCache(paths, key);
    } catch (e) {
      // Another job saved the same key first: the content is the same by construction.
      if (e instanceof actionsCache.ReserveCacheError) return;
      throw failure(`cache: saving '${key}'`, e);
    }
  }
}

/** What an artifact client needs to offer (DefaultArtifactClient; a test may pass another). */
type ArtifactClient = Pick<DefaultArtifactClient, 'uploadArtifact' | 'getArtifact' | 'downloadArtifact' | 'deleteArtifact'>;

/**
 * ArtifactStore over @actions/artifact, or a LocalArtifactStore where no service is announced.
 * An upload replaces an artifact of the same name (a re-run of the job uploads it again: without
 * this, GitHub answers 409 Conflict); names must therefore be unique within one run attempt.
 */
export class GitHubArtifactStore implements ArtifactStore {
  private readonly notice: LocalNotice;
  constructor(
    private readonly reporter: Reporter,
    private readonly local: LocalArtifactStore = new LocalArtifactStore(fallbackDirs().artifacts),
    private chosen?: ServiceMode,
    private readonly client: ArtifactClient = new DefaultArtifactClient(),
  ) {
    this.notice = new LocalNotice('artifacts', reporter, local.dir);
  }

  private get mode(): ServiceMode {
    return (this.chosen ??= artifactServiceMode());
  }

  async upload(name: string, files: string[], rootDir: string): Promise<string> {
    if (this.mode === 'local') {
      this.notice.warn();
      return this.local.upload(name, files, rootDir);
    }
    try {
      await this.client.deleteArtifact(name);
      this.reporter.info(`artifact '${name}' of an earlier attempt replaced`);
    } catch (e) {
      // Nothing to replace is the usual case; another problem shows again in the upload's own error.
      if (!isNotFound(e)) this.reporter.info(`artifact '${name}': could not delete an earlier one: ${(e as Error).message}`);
    }
    try {
      return String((await this.client.uploadArtifact(name, files, rootDir)).id);
    } catch (e) {
      throw failure(`artifacts: uploading '${name}'`, e);
    }
  }

  async download(name: string, dir: string): Promise<string> {
    if (this.mode === 'local') {
      this.notice.warn();
      return this.local.download(name, dir);
    }
    let id: number;
    try {
      id = (await this.client.getArtifact(name)).artifact.id;
    } catch (e) {
      if (isNotFound(e)) {
        throw new DiracosError(`artifact '${name}' not found in this workflow run: the job that uploads it must run (and succeed) before this one, under exactly this name`);
      }
      throw failure(`artifacts: looking up '${name}'`, e);
    }
    try {
      await this.client.downloadArtifact(id, { path: dir });
    } catch (e) {
      throw failure(`artifacts: downloading '${name}' (id ${id})`, e);
    }
    return dir;
  }
}

function isNotFound(e: unknown): boolean {
  return e instanceof ArtifactNotFoundError || (e as Error)?.name === 'ArtifactNotFoundError';
}
