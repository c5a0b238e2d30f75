/**
 * A sharded build with real rpmbuild in podman: the fixture packages planned into shards by dependency
 * level, each shard built (here one after the other) with `exact` into its own copy of the repository
 * the earlier levels left, the copies merged after each level. The result equals a single-job build:
 * same index (keys) and the same RPM files, byte for byte (the builds are reproducible).
 */
import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRpms } from '../../src/build-rpms/index.js';
import { mergeRepositories } from '../../src/build-rpms/merge.js';
import type { LoadedManifest } from '../../src/manifest/load.js';
import { planShardsOf, type ShardPlan } from '../../src/pipeline/shards.js';
import { readIndex } from '../../src/repo/index-file.js';
import { DiracosError } from '../../src/shared/errors.js';
import { nodeExec } from '../../src/shared/exec.js';
import { sha256File } from '../../src/shared/hash.js';
import { fixtureManifest, tempDir, testContext } from './build-rpms-support.js';

const ALL = ['libgreet', 'hello', 'patched', 'fromsrpm', 'tarpkg'];

/** relative path -> sha256 of every RPM of a repository. */
async function rpmDigests(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !e.name.endsWith('.rpm')) continue;
    const path = join(e.parentPath ?? e.path, e.name);
    out[relative(root, path)] = await sha256File(path);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** The same manifest with another repository (a job's own copy). */
const withRepo = (m: LoadedManifest, repository: string): LoadedManifest => ({ ...m, repository });

describe('sharded build-rpms equals a single-job build', () => {
  let dir: string;
  let m: LoadedManifest;
  let shards: ShardPlan;

  beforeAll(async () => {
    dir = await tempDir('shards');
    m = await fixtureManifest(dir, ALL);
    shards = await planShardsOf(await testContext(join(dir, 'plan')), m, m.packages, 2);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('plans hello after the library it build-requires, every package once', () => {
    expect(shards.levels.map((l) => l.include)).toEqual([
      [
        { name: 'level0-1', only: ['fromsrpm', 'patched'], level: 0 },
        { name: 'level0-2', only: ['libgreet', 'tarpkg'], level: 0 },
      ],
      [{ name: 'level1', only: ['hello'], level: 1 }],
    ]);
  });

  it('a shard whose dependencies are not in the repository is refused, naming them', async () => {
    const ctx = await testContext(join(dir, 'early'));
    const err = await buildRpms(ctx, withRepo(m, join(dir, 'early/repo')), { only: ['hello'], exact: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiracosError);
    expect((err as Error).message).toMatch(/lacks packages this shard build-requires[\s\S]*package 'libgreet' \(key [0-9a-f]{12}\), needed by hello/);
    await expect(readdir(join(dir, 'early/work/build-rpms/logs'))).rejects.toThrow(); // nothing was built
  });

  it('shards level by level, merged, give the single build repository: same index, same RPM bytes', async () => {
    const single = join(dir, 'single/repo');
    const one = await buildRpms(await testContext(join(dir, 'single')), withRepo(m, single));
    expect(one.packages.every((p) => p.status === 'built')).toBe(true);

    // The repository cache each level's jobs restore: what the levels before left, merged.
    const stage = join(dir, 'stage/repo');
    await mkdir(stage, { recursive: true });
    const builtBy: Record<string, string> = {};
    for (const level of shards.levels) {
      const repos: string[] = [];
      for (const shard of level.include) {
        const jobDir = join(dir, 'jobs', shard.name);
        await cp(stage, join(jobDir, 'repo'), { recursive: true });
        const r = await buildRpms(await testContext(jobDir), withRepo(m, join(jobDir, 'repo')), { only: shard.only, exact: true });
        expect(r.packages.map((p) => p.name).sort()).toEqual([...shard.only].sort());
        for (const p of r.packages) if (p.status === 'built') builtBy[p.name] = shard.name;
        repos.push(join(jobDir, 'repo'));
      }
      const merged = await mergeRepositories(nodeExec, stage, repos, m.arch);
      expect(merged.added.map((a) => a.name).sort()).toEqual(level.include.flatMap((s) => s.only).sort());
    }
    // Each package built exactly once, by its own shard.
    expect(builtBy).toEqual({ fromsrpm: 'level0-1', patched: 'level0-1', libgreet: 'level0-2', tarpkg: 'level0-2', hello: 'level1' });

    expect((await readIndex(join(stage, 'diracos-index.json'))).packages).toEqual((await readIndex(join(single, 'diracos-index.json'))).packages);
    const singleRpms = await rpmDigests(single);
    expect(Object.keys(singleRpms)).toHaveLength(11);
    expect(await rpmDigests(stage)).toEqual(singleRpms);
    // The merged metadata serves the packages: dnf on the host resolves hello with its library.
    const resolved = await nodeExec('dnf', [
      '-q', '--setopt=reposdir=/dev/null', '--releasever=0', `--repofrompath=merged,file://${join(stage, m.arch)}`, 'repoquery', '--requires', '--resolve', 'hello',
    ]);
    expect(resolved.stdout).toContain('libgreet-0:1.0-1.x86_64');
  });
});
