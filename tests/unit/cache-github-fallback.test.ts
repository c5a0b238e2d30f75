// The GitHub service adapters without the services (as in a local run): one warning, then the local folders.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GitHubArtifactStore, GitHubCache, artifactServiceAvailable, cacheServiceAvailable, fallbackDirs } from '../../src/actions/shared/services.js';
import { LocalArtifactStore, LocalCache } from '../../src/cache/local.js';
import { MemoryReporter } from '../../src/reporting/reporter.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cache-github-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('service detection', () => {
  it('needs the service URL and the runtime token', () => {
    expect(artifactServiceAvailable({})).toBe(false);
    expect(artifactServiceAvailable({ ACTIONS_RESULTS_URL: 'https://r.invalid/' })).toBe(false);
    expect(artifactServiceAvailable({ ACTIONS_RESULTS_URL: 'https://r.invalid/', ACTIONS_RUNTIME_TOKEN: 't' })).toBe(true);
    expect(cacheServiceAvailable({ ACTIONS_RUNTIME_TOKEN: 't' })).toBe(false);
  });

  it('falls back under RUNNER_TEMP', () => {
    expect(fallbackDirs({ RUNNER_TEMP: '/rt' })).toEqual({ cache: '/rt/diracos-local/cache', artifacts: '/rt/diracos-local/artifacts' });
  });
});

describe('without the services', () => {
  it('the cache warns once and works through the local folder', async () => {
    const reporter = new MemoryReporter();
    const cache = new GitHubCache(reporter, new LocalCache(join(root, 'cache')), false);
    const f = join(root, 'f');
    writeFileSync(f, 'saved');
    await cache.save([f], 'k-1');
    writeFileSync(f, 'changed');
    expect(await cache.restore([f], 'k-2', ['k-'])).toBe('k-1');
    expect(readFileSync(f, 'utf8')).toBe('saved');
    expect(reporter.messages('warning')).toEqual([
      `GitHub cache: the service is not available in this run; using the local folder ${join(root, 'cache')} instead (it does not outlive this job)`,
    ]);
  });

  it('artifacts warn once and go to the local folder', async () => {
    const reporter = new MemoryReporter();
    const store = new GitHubArtifactStore(reporter, new LocalArtifactStore(join(root, 'art')), false);
    writeFileSync(join(root, 't.tar.gz'), 'tarball');
    expect(await store.upload('DIRACOS-1', [join(root, 't.tar.gz')], root)).toBe(join(root, 'art', 'DIRACOS-1'));
    await store.download('DIRACOS-1', join(root, 'back'));
    expect(readFileSync(join(root, 'back', 't.tar.gz'), 'utf8')).toBe('tarball');
    expect(reporter.messages('warning')).toHaveLength(1);
    expect(reporter.messages('warning')[0]).toMatch(/^GitHub artifacts: the service is not available/);
  });

  it('a failing service degrades to the local folder with the error in the warning', async () => {
    // The artifact service at a closed local port: the fake sits exactly at the service boundary.
    const saved = { ...process.env };
    Object.assign(process.env, { ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/', ACTIONS_RUNTIME_TOKEN: 'x.eyJzY3AiOiIifQ.x' });
    // The real client logs its steps to stdout ("Artifact name is valid!"): kept out of the test output.
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const reporter = new MemoryReporter();
      const store = new GitHubArtifactStore(reporter, new LocalArtifactStore(join(root, 'art')), true);
      writeFileSync(join(root, 'a.txt'), 'a');
      expect(await store.upload('up', [join(root, 'a.txt')], root)).toBe(join(root, 'art', 'up'));
      expect(reporter.messages('warning')[0]).toMatch(/^GitHub artifacts: the service failed: .+; using the local folder/);
    } finally {
      write.mockRestore();
      process.env = saved;
    }
  });
});
