import { DefaultArtifactClient } from '@actions/artifact';
import * as actionsCache from '@actions/cache';
import { join } from 'node:path';
import { LocalArtifactStore, LocalCache } from '../../cache/local.js';
import type { ArtifactStore, Cache } from '../../cache/types.js';
import type { Reporter } from '../../reporting/reporter.js';

/**
 * Which GitHub service is reachable, from the variables the runner gives JavaScript actions.
 * Without them (a local run, act, a container job without the token) the action still works
 * through the local folders, with a warning.
 */
export function cacheServiceAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean((env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL) && env.ACTIONS_RUNTIME_TOKEN) && actionsCache.isFeatureAvailable();
}

export function artifactServiceAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.ACTIONS_RESULTS_URL && env.ACTIONS_RUNTIME_TOKEN);
}

/** Folders under RUNNER_TEMP standing in for the services (the runner empties RUNNER_TEMP per job). */
export function fallbackDirs(env: NodeJS.ProcessEnv = process.env): { cache: string; artifacts: string } {
  const base = join(env.RUNNER_TEMP || join(process.cwd(), '.runner-temp'), 'diracos-local');
  return { cache: join(base, 'cache'), artifacts: join(base, 'artifacts') };
}

/** Runs the service call, or the local one (once warned) when the service is absent or fails. */
class Fallback {
  private warned = false;
  constructor(
    private readonly what: string,
    private readonly reporter: Reporter,
    private readonly available: boolean,
    private readonly folder: string,
  ) {}

  async run<T>(service: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (!this.available) {
      this.warn('the service is not available in this run');
      return local();
    }
    try {
      return await service();
    } catch (e) {
      this.warn(`the service failed: ${(e as Error).message}`);
      // If the local folder has nothing either, the service's error is the one that explains.
      return local().catch(() => Promise.reject(e));
    }
  }

  private warn(why: string): void {
    if (this.warned) return;
    this.warned = true;
    this.reporter.warning(`GitHub ${this.what}: ${why}; using the local folder ${this.folder} instead (it does not outlive this job)`);
  }
}

/** Cache over @actions/cache, falling back to a LocalCache. */
export class GitHubCache implements Cache {
  private readonly fallback: Fallback;
  constructor(
    reporter: Reporter,
    private readonly local: LocalCache = new LocalCache(fallbackDirs().cache),
    available: boolean = cacheServiceAvailable(),
  ) {
    this.fallback = new Fallback('cache', reporter, available, local.dir);
  }

  restore(paths: string[], key: string, restoreKeys: string[] = []): Promise<string | undefined> {
    return this.fallback.run(
      () => actionsCache.restoreCache(paths, key, restoreKeys),
      () => this.local.restore(paths, key, restoreKeys),
    );
  }

  save(paths: string[], key: string): Promise<void> {
    return this.fallback.run(
      async () => {
        try {
          await actionsCache.saveCache(paths, key);
        } catch (e) {
          // Another job saved the same key first: the content is the same by construction.
          if (e instanceof actionsCache.ReserveCacheError) return;
          throw e;
        }
      },
      () => this.local.save(paths, key),
    );
  }
}

/** ArtifactStore over @actions/artifact, falling back to a LocalArtifactStore. */
export class GitHubArtifactStore implements ArtifactStore {
  private readonly fallback: Fallback;
  private readonly client = new DefaultArtifactClient();
  constructor(
    reporter: Reporter,
    private readonly local: LocalArtifactStore = new LocalArtifactStore(fallbackDirs().artifacts),
    available: boolean = artifactServiceAvailable(),
  ) {
    this.fallback = new Fallback('artifacts', reporter, available, local.dir);
  }

  upload(name: string, files: string[], rootDir: string): Promise<string> {
    return this.fallback.run(
      async () => String((await this.client.uploadArtifact(name, files, rootDir)).id),
      () => this.local.upload(name, files, rootDir),
    );
  }

  download(name: string, dir: string): Promise<string> {
    return this.fallback.run(
      async () => {
        const { artifact } = await this.client.getArtifact(name);
        await this.client.downloadArtifact(artifact.id, { path: dir });
        return dir;
      },
      () => this.local.download(name, dir),
    );
  }
}
