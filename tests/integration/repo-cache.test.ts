/**
 * The repository cache the actions use around a build (src/pipeline/repo-cache.ts), with the real
 * engine on fixture packages and the local cache implementation (the actions' fallback).
 */
import { appendFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRpms, type BuildRpmsResult } from '../../src/build-rpms/index.js';
import { LocalCache } from '../../src/cache/local.js';
import type { LoadedManifest } from '../../src/manifest/load.js';
import { repoCachePrefix, restoreRepository, saveRepository } from '../../src/pipeline/repo-cache.js';
import { fixtureManifest, tempDir, testContext } from './build-rpms-support.js';

const status = (r: BuildRpmsResult) => Object.fromEntries(r.packages.map((p) => [p.name, p.status]));

describe('repository cache around a build', () => {
  let dir: string;
  let m: LoadedManifest;
  let ctx: Awaited<ReturnType<typeof testContext>>;
  let cacheDir: string;

  /** What an action does: restore once the keys are known, build, save under the exact key. */
  async function cachedBuild(): Promise<{ result: BuildRpmsResult; hit: string; key: string }> {
    let cached = { key: '', hit: '' };
    const result = await buildRpms(ctx, m, { beforeBuild: async (plan) => void (cached = await restoreRepository(ctx, m, plan)) });
    await saveRepository(ctx, m, cached);
    return { result, ...cached };
  }

  beforeAll(async () => {
    dir = await tempDir('repo-cache');
    cacheDir = join(dir, 'cache');
    ctx = { ...(await testContext(dir)), cache: new LocalCache(cacheDir) };
    m = await fixtureManifest(dir, ['libgreet', 'hello', 'patched']);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('a miss builds everything and saves one entry under the exact key', async () => {
    const first = await cachedBuild();
    expect(first.hit).toBe('');
    expect(first.key.startsWith(repoCachePrefix(m))).toBe(true);
    expect(status(first.result)).toEqual({ libgreet: 'built', hello: 'built', patched: 'built' });
    expect((await readdir(cacheDir)).length).toBe(1);
  });

  it('an exact hit into an empty repository rebuilds nothing and saves nothing new', async () => {
    await rm(m.repository, { recursive: true, force: true });
    const again = await cachedBuild();
    expect(again.hit).toBe(again.key);
    expect(status(again.result)).toEqual({ libgreet: 'cached', hello: 'cached', patched: 'cached' });
    expect((await readdir(cacheDir)).length).toBe(1);
  });

  it('after a change, a partial hit by prefix brings what did not change; only the changed cone rebuilds', async () => {
    await rm(m.repository, { recursive: true, force: true });
    await appendFile(join(dir, 'pkgs/hello/hello.c'), '\n/* changed */\n');
    const partial = await cachedBuild();
    expect(partial.hit).not.toBe('');
    expect(partial.hit).not.toBe(partial.key);
    expect(status(partial.result)).toEqual({ libgreet: 'cached', hello: 'built', patched: 'cached' });
    expect((await readdir(cacheDir)).length).toBe(2);
  });
});
