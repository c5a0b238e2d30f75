// What the build actions add around the engine: the repository restored from the cache, then this run's
// shard repositories merged over it, a check that nothing is missing, a staged repository of exactly a
// job's packages, and build logs under a name no other job of the run uses.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cachedBuild, logsArtifactName } from '../../src/actions/shared/build.js';
import { stageRepository } from '../../src/actions/shared/stage.js';
import type { BuildPlan } from '../../src/build-rpms/index.js';
import { LocalArtifactStore, LocalCache } from '../../src/cache/local.js';
import type { LoadedManifest } from '../../src/manifest/load.js';
import { readIndex } from '../../src/repo/index-file.js';
import { Repository } from '../../src/repo/repository.js';
import { DiracosError } from '../../src/shared/errors.js';
import { nodeExec } from '../../src/shared/exec.js';
import { makeTestContext } from '../support/context.js';

let dir: string;
const rpms = new Map<string, string>();

/** A real (empty, noarch) RPM made with the host's rpmbuild. */
async function makeRpm(name: string, version: string): Promise<string> {
  const id = `${name}-${version}`;
  if (rpms.has(id)) return rpms.get(id)!;
  const top = join(dir, `top-${id}`);
  await mkdir(join(top, 'SPECS'), { recursive: true });
  const spec = join(top, 'SPECS', `${name}.spec`);
  await writeFile(spec, `Name: ${name}\nVersion: ${version}\nRelease: 1\nSummary: t\nLicense: MIT\nBuildArch: noarch\n%description\nt\n%files\n`);
  await nodeExec('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${top}`, spec]);
  rpms.set(id, join(top, 'RPMS', 'noarch', `${id}-1.noarch.rpm`));
  return rpms.get(id)!;
}

async function repoWith(root: string, packages: Array<{ name: string; version: string; key: string; buildOnly?: boolean }>): Promise<void> {
  const repo = await Repository.open(nodeExec, root, 'x86_64');
  for (const p of packages) await repo.add(p.name, p.key, [{ path: await makeRpm(p.name, p.version), part: p.buildOnly ? 'buildOnly' : 'binary' }], p.buildOnly ?? false);
  await repo.flush();
}

const keysOf = async (root: string) => Object.fromEntries(Object.entries((await readIndex(join(root, 'diracos-index.json'))).packages).map(([n, e]) => [n, e.key]));

function manifestAt(root: string): LoadedManifest {
  return { file: join(root, 'diracos.yaml'), dir: root, repository: join(root, 'repo'), arch: 'x86_64', manifest: { version: '9.9.9' } } as unknown as LoadedManifest;
}

const plan = (keys: Record<string, string>) => ({ order: Object.keys(keys), keys: new Map(Object.entries(keys)) }) as unknown as BuildPlan;

/** The action's inputs as the runner passes them (INPUT_*), for one test. */
const savedEnv = { ...process.env };
function setInputs(values: Record<string, string>): void {
  for (const [k, v] of Object.entries(values)) process.env[`INPUT_${k.toUpperCase()}`] = v;
}
afterEach(() => {
  process.env = { ...savedEnv };
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'actions-build-run-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('stageRepository', () => {
  it('writes a repository of exactly the packages asked for, replacing an earlier one', async () => {
    const root = await mkdtemp(join(dir, 'stage-'));
    const m = manifestAt(root);
    await repoWith(m.repository, [
      { name: 'alpha', version: '1', key: 'k-a' },
      { name: 'beta', version: '1', key: 'k-b', buildOnly: true },
      { name: 'gamma', version: '1', key: 'k-g' },
    ]);
    const staged = await stageRepository({ exec: nodeExec }, m, ['beta', 'alpha'], join(root, 'out', 'staged'));
    expect(await keysOf(staged)).toEqual({ alpha: 'k-a', beta: 'k-b' });
    expect(await readdir(join(staged, 'x86_64'))).toEqual(expect.arrayContaining(['alpha-1-1.noarch.rpm', 'repodata']));
    expect(await readdir(join(staged, 'x86_64'))).not.toContain('gamma-1-1.noarch.rpm');
    expect(await readdir(join(staged, 'buildOnly', 'x86_64'))).toContain('beta-1-1.noarch.rpm');
    // A re-run stages again: the folder holds the new selection only.
    await stageRepository({ exec: nodeExec }, m, ['gamma'], staged);
    expect(await keysOf(staged)).toEqual({ gamma: 'k-g' });
    await expect(stageRepository({ exec: nodeExec }, m, ['delta'], staged)).rejects.toThrow(/package\(s\) not in .*: delta/);
  });
});

describe('cachedBuild', () => {
  it('merges this run\'s shard repositories over the restored cache (theirs win), then saves a complete build', async () => {
    const root = await mkdtemp(join(dir, 'order-'));
    const m = manifestAt(root);
    const cache = new LocalCache(join(root, 'cache'));
    // An older state of the repository in the cache: alpha with an old key.
    await repoWith(m.repository, [{ name: 'alpha', version: '1', key: 'k-old' }]);
    await cache.save([m.repository], 'diracos-rpms-9.9.9-x86_64-older');
    await rm(m.repository, { recursive: true });
    // What an earlier shard of this run built: alpha with its current key, and beta.
    await repoWith(join(root, 'shards', 'diracos-rpms-level0'), [{ name: 'alpha', version: '2', key: 'k-new' }, { name: 'beta', version: '1', key: 'k-b' }]);
    const ctx = await makeTestContext({ workdir: join(root, 'work'), downloadCache: join(root, 'dl'), cache });
    setInputs({ cache: 'true', 'stage-repository': join(root, 'staged') });

    const run = await cachedBuild(ctx, m, { save: true, merge: join(root, 'shards'), requireBuilt: true, stage: () => ['beta'] }, async (beforeBuild) => {
      await beforeBuild(plan({ alpha: 'k-new', beta: 'k-b' }));
      return 'built';
    });
    expect(run.result).toBe('built');
    expect(run.cache).toEqual({ key: expect.stringMatching(/^diracos-rpms-9\.9\.9-x86_64-/), hit: 'partial' });
    expect(await keysOf(m.repository)).toEqual({ alpha: 'k-new', beta: 'k-b' });
    expect(await keysOf(run.staged!)).toEqual({ beta: 'k-b' });
    expect(await cache.lookup(run.cache!.key)).toBe(run.cache!.key);
  });

  it('with require-built names what no job provided instead of building it', async () => {
    const root = await mkdtemp(join(dir, 'missing-'));
    const m = manifestAt(root);
    await repoWith(join(root, 'shards', 'diracos-rpms-level0'), [{ name: 'alpha', version: '1', key: 'k-a' }]);
    const ctx = await makeTestContext({ workdir: join(root, 'work'), downloadCache: join(root, 'dl') });
    setInputs({ cache: 'false' });
    const error = await cachedBuild(ctx, m, { save: true, merge: join(root, 'shards'), requireBuilt: true }, async (beforeBuild) => {
      await beforeBuild(plan({ alpha: 'k-a', beta: 'k-b', gamma: 'k-g' }));
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiracosError);
    expect((error as Error).message).toMatch(/2 package\(s\) are not in the repository with their current key after merging .*shards: beta, gamma\. The jobs that build them failed or did not upload their repository \(a missing or misnamed artifact\)/);
  });

  it('uploads the build logs under a name unique to the job, shard and attempt, without hiding the build error', async () => {
    const root = await mkdtemp(join(dir, 'logs-'));
    const m = manifestAt(root);
    const artifacts = new LocalArtifactStore(join(root, 'artifacts'));
    const ctx = await makeTestContext({ workdir: join(root, 'work'), downloadCache: join(root, 'dl'), artifacts });
    Object.assign(process.env, { GITHUB_JOB: 'stage-1', GITHUB_RUN_ATTEMPT: '2' });
    setInputs({ cache: 'false' });
    const failing = (shard: string) =>
      cachedBuild(ctx, m, { save: false, logsSuffix: shard }, async () => {
        await mkdir(join(ctx.workdir, 'build-rpms', 'logs'), { recursive: true });
        await writeFile(join(ctx.workdir, 'build-rpms', 'logs', `${shard}.log`), 'compiler said no');
        throw new DiracosError(`package in ${shard} failed`);
      });
    await expect(failing('level1-1')).rejects.toThrow('package in level1-1 failed');
    await expect(failing('level1-2')).rejects.toThrow('package in level1-2 failed');
    expect((await readdir(artifacts.dir)).sort()).toEqual(['diracos-build-logs-stage-1-level1-1-attempt2', 'diracos-build-logs-stage-1-level1-2-attempt2']);

    // An upload that fails is reported beside the build's error, which stays the step's error.
    const broken = await makeTestContext({ workdir: ctx.workdir, downloadCache: join(root, 'dl'), artifacts: { upload: () => Promise.reject(new Error('quota hit')), download: () => Promise.reject(new Error('unused')) } });
    await expect(cachedBuild(broken, m, { save: false }, () => Promise.reject(new DiracosError('the build failed')))).rejects.toThrow('the build failed');
    expect(broken.reporter.messages('error')).toEqual(["build logs: uploading artifact 'diracos-build-logs-stage-1-attempt2' failed: quota hit"]);
    setInputs({ 'logs-artifact': 'my-logs' });
    expect(logsArtifactName('ignored')).toBe('my-logs');
  });
});
