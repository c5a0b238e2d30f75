// The GitHub service adapters: local folders only where no service is announced (a local run);
// where one is (a GitHub runner), its failures fail the step with a clear message.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GitHubArtifactStore, GitHubCache, artifactServiceMode, cacheServiceMode, fallbackDirs } from '../../src/actions/shared/services.js';
import { LocalArtifactStore, LocalCache } from '../../src/cache/local.js';
import { MemoryReporter } from '../../src/reporting/reporter.js';
import { DiracosError } from '../../src/shared/errors.js';
import { FakeResultsService } from '../support/fake-results-service.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cache-github-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Runs fn with these variables in process.env (@actions/artifact reads them at call time). */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    process.env = saved;
  }
}

describe('service detection', () => {
  it('is local only where the runner announces no service at all', () => {
    expect(artifactServiceMode({})).toBe('local');
    expect(cacheServiceMode({}, () => true)).toBe('local');
    expect(artifactServiceMode({ ACTIONS_RESULTS_URL: 'https://r.invalid/', ACTIONS_RUNTIME_TOKEN: 't' })).toBe('github');
    expect(cacheServiceMode({ ACTIONS_RESULTS_URL: 'https://r.invalid/', ACTIONS_RUNTIME_TOKEN: 't' }, () => true)).toBe('github');
  });

  it('refuses a half-announced service instead of falling back to a folder that vanishes with the job', () => {
    expect(() => artifactServiceMode({ ACTIONS_RUNTIME_TOKEN: 't' })).toThrow(/GitHub artifacts: the runner gives ACTIONS_RUNTIME_TOKEN but not ACTIONS_RESULTS_URL/);
    expect(() => cacheServiceMode({ ACTIONS_RUNTIME_TOKEN: 't' }, () => true)).toThrow(/give the action 'cache: false'/);
    expect(() => cacheServiceMode({ ACTIONS_RESULTS_URL: 'https://r.invalid/', ACTIONS_RUNTIME_TOKEN: 't' }, () => false)).toThrow(DiracosError);
  });

  it('keeps the local folders under RUNNER_TEMP, or DIRACOS_LOCAL_SERVICES shared by local jobs', () => {
    expect(fallbackDirs({ RUNNER_TEMP: '/rt' })).toEqual({ cache: '/rt/diracos-local/cache', artifacts: '/rt/diracos-local/artifacts' });
    expect(fallbackDirs({ RUNNER_TEMP: '/rt', DIRACOS_LOCAL_SERVICES: '/walk' })).toEqual({ cache: '/walk/cache', artifacts: '/walk/artifacts' });
  });
});

describe('without the services (a local run)', () => {
  it('the cache warns once, works through the local folder, and never replaces a key', async () => {
    const reporter = new MemoryReporter();
    const cache = new GitHubCache(reporter, new LocalCache(join(root, 'cache')), 'local');
    const f = join(root, 'f');
    writeFileSync(f, 'saved');
    await cache.save([f], 'k-1');
    writeFileSync(f, 'saved again');
    await cache.save([f], 'k-1');
    writeFileSync(f, 'changed');
    expect(await cache.restore([f], 'k-2', ['k-'])).toBe('k-1');
    expect(readFileSync(f, 'utf8')).toBe('saved');
    expect(reporter.messages('warning')).toEqual([`GitHub cache: no service in this run (not on a GitHub runner); using the local folder ${join(root, 'cache')} instead`]);
  });

  it('artifacts warn once and go to the local folder', async () => {
    const reporter = new MemoryReporter();
    const store = new GitHubArtifactStore(reporter, new LocalArtifactStore(join(root, 'art')), 'local');
    writeFileSync(join(root, 't.tar.gz'), 'tarball');
    expect(await store.upload('DIRACOS-1', [join(root, 't.tar.gz')], root)).toBe(join(root, 'art', 'DIRACOS-1'));
    await store.download('DIRACOS-1', join(root, 'back'));
    expect(readFileSync(join(root, 'back', 't.tar.gz'), 'utf8')).toBe('tarball');
    expect(reporter.messages('warning')).toHaveLength(1);
    expect(reporter.messages('warning')[0]).toMatch(/^GitHub artifacts: no service in this run/);
  });
});

describe('with the artifact service', () => {
  const service = new FakeResultsService();
  beforeAll(async () => {
    await service.start();
  });
  afterAll(() => service.stop());

  it('uploads again under the same name on a re-run (no 409) and downloads what was uploaded last', async () => {
    const reporter = new MemoryReporter();
    const local = new LocalArtifactStore(join(root, 'art'));
    writeFileSync(join(root, 't.tar.gz'), 'attempt 1');
    await withEnv({ ...service.env(), GITHUB_WORKSPACE: root }, async () => {
      const store = new GitHubArtifactStore(reporter, local);
      const first = await store.upload('DIRACOS-rerun', [join(root, 't.tar.gz')], root);
      writeFileSync(join(root, 't.tar.gz'), 'attempt 2');
      const second = await store.upload('DIRACOS-rerun', [join(root, 't.tar.gz')], root);
      expect(Number(second)).toBeGreaterThan(Number(first));
      await store.download('DIRACOS-rerun', join(root, 'back'));
    });
    expect(readFileSync(join(root, 'back', 't.tar.gz'), 'utf8')).toBe('attempt 2');
    expect(service.calls.filter((c) => c === 'DeleteArtifact')).toHaveLength(1);
    expect(reporter.messages('warning')).toEqual([]);
    expect(existsSync(join(root, 'art'))).toBe(false);
  });

  it('names a missing artifact as a user error, not an internal one', async () => {
    const reporter = new MemoryReporter();
    await withEnv({ ...service.env(), GITHUB_WORKSPACE: root }, async () => {
      const store = new GitHubArtifactStore(reporter, new LocalArtifactStore(join(root, 'art')));
      const error = await store.download('DIRACOS-never-uploaded', join(root, 'back')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DiracosError);
      expect((error as Error).message).toMatch(/^artifact 'DIRACOS-never-uploaded' not found in this workflow run: the job that uploads it must run/);
    });
    expect(reporter.messages('warning')).toEqual([]);
  });

  it('fails the step when the service fails, instead of using a folder that vanishes with the job', async () => {
    // The artifact service at a closed local port.
    const reporter = new MemoryReporter();
    writeFileSync(join(root, 'a.txt'), 'a');
    await withEnv({ ...service.env(), ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/', GITHUB_WORKSPACE: root }, async () => {
      const store = new GitHubArtifactStore(reporter, new LocalArtifactStore(join(root, 'art')));
      await expect(store.upload('up', [join(root, 'a.txt')], root)).rejects.toThrow(/^GitHub artifacts: uploading 'up' failed: .*Unable to make request: ECONNREFUSED/);
      await expect(store.download('up', join(root, 'back'))).rejects.toThrow(/^GitHub artifacts: looking up 'up' failed/);
    });
    expect(existsSync(join(root, 'art'))).toBe(false);
    expect(reporter.messages('warning')).toEqual([]);
  });
});
