import { spawn } from 'node:child_process';
import { cp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRpms } from '../../src/build-rpms/index.js';
import { readIndex, type RepoIndex } from '../../src/repo/index-file.js';
import { loadManifest } from '../../src/manifest/load.js';
import { nodeExec } from '../../src/shared/exec.js';
import { containersUsing, definedManifest, drive, fixtureManifest, rpmSummary, tempDir, testContext } from './build-rpms-support.js';

const ALL = ['libgreet', 'hello', 'patched', 'fromsrpm', 'tarpkg'];
const DRIVER = fileURLToPath(new URL('./build-rpms-driver.ts', import.meta.url));
const VITE_NODE = fileURLToPath(new URL('../../node_modules/.bin/vite-node', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function count(dir: string): Promise<number> {
  return (await readdir(dir).catch(() => [])).length;
}

/** Waits until no container mounts anything under `dir` (a killed client leaves its container running a moment). */
async function noContainersUsing(dir: string): Promise<void> {
  for (let i = 0; i < 300 && (await containersUsing(dir)).length > 0; i++) await sleep(200);
}

/** What dnf reads from createrepo_c's metadata of one repository part. */
async function repoquery(repoDir: string, cache: string): Promise<string[]> {
  const r = await nodeExec('dnf', ['-q', '--setopt=reposdir=/dev/null', `--setopt=cachedir=${cache}`, '--releasever=0', `--repofrompath=t,file://${repoDir}`, '--repo=t', 'repoquery', '--qf', '%{name}-%{version}-%{release}.%{arch}.rpm']);
  return r.stdout.split('\n').filter(Boolean).sort();
}

const summary = (index: RepoIndex) => Object.fromEntries(Object.entries(index.packages).map(([n, e]) => [n, { key: e.key, rpms: e.rpms }]));

describe('an engine killed with SIGKILL mid-build', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('leaves a consistent repository and the next run ends equal to an uninterrupted one', async () => {
    const ref = await tempDir('ref');
    const killed = await tempDir('killed');
    dirs.push(ref, killed);
    const refManifest = await fixtureManifest(ref, ALL);
    await fixtureManifest(killed, ALL);
    // The same SRPM and tarball bytes in both runs (rpmbuild -bs and tar stamp times into them).
    for (const d of ['srpms', 'tarballs']) await cp(join(ref, d), join(killed, d), { recursive: true });
    const logs = join(killed, 'work/build-rpms/logs');
    const child = spawn(VITE_NODE, [DRIVER, killed, '1'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Kill during the third build: two packages are in the repository, the third is compiling.
    let done = false;
    void exited.then(() => (done = true));
    while (!done && (await count(logs)) < 3) await sleep(20);
    expect(done, `the engine ended before it could be killed:\n${output}`).toBe(false);
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    await noContainersUsing(join(killed, 'work/build-rpms'));

    const partial = await readIndex(join(killed, 'repo/diracos-index.json'));
    expect(Object.keys(partial.packages).length).toBeLessThan(ALL.length);

    const ctx = await testContext(killed, 1);
    const resumed = await buildRpms(ctx, loadManifest(join(killed, 'diracos.yaml')));
    for (const p of resumed.packages) expect(p.status).toBe(p.name in partial.packages ? 'cached' : 'built');

    const refCtx = await testContext(ref, 1);
    await buildRpms(refCtx, refManifest);
    const resumedIndex = await readIndex(join(killed, 'repo/diracos-index.json'));
    expect(summary(resumedIndex)).toEqual(summary(await readIndex(join(ref, 'repo/diracos-index.json'))));

    // The metadata createrepo_c made is valid and lists exactly the indexed RPMs, and no temp folder is left.
    const indexed = Object.values(resumedIndex.packages).flatMap((e) => e.rpms);
    for (const part of ['x86_64', 'src']) {
      const expected = indexed.filter((r) => r.startsWith(`${part}/`)).map((r) => r.slice(part.length + 1)).sort();
      expect(await repoquery(join(killed, 'repo', part), join(killed, 'dnfcache'))).toEqual(expected);
      expect((await readdir(join(killed, 'repo', part))).filter((f) => f.endsWith('.rpm')).sort()).toEqual(expected);
    }
    expect((await readdir(join(killed, 'repo'))).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('an engine killed with SIGKILL just after a rebuilt RPM entered the repository', () => {
  let dir: string;
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('leaves no key over RPMs built from other inputs: each later run serves what its manifest says', async () => {
    dir = await tempDir('rekey');
    const ctx = await testContext(dir, 1);
    const rpm = join(dir, 'repo/x86_64/defined-1-1.noarch.rpm');
    const first = await buildRpms(ctx, await definedManifest(dir, 'one'));
    expect(first.packages.map((p) => p.status)).toEqual(['built']);
    expect(await rpmSummary(rpm)).toBe('says one');

    // The define changes: the RPM is rebuilt under the same file name, and the engine is killed right after the rename.
    await definedManifest(dir, 'two');
    const killed = drive(dir, { DRIVER_KILL_AT: 'rpm-entered' });
    const end = await killed.ended;
    expect(end.signal, `the driver was not killed at the kill point:\n${end.output}`).toBe('SIGKILL');
    await noContainersUsing(join(dir, 'work/build-rpms'));

    // Back to the first define (another branch, a revert): what the repository serves must say 'one'.
    const back = await buildRpms(ctx, await definedManifest(dir, 'one'));
    expect(await rpmSummary(rpm)).toBe('says one');
    expect(back.packages[0]!.key).toBe(first.packages[0]!.key);
    // And with the new define, 'two'.
    await buildRpms(ctx, await definedManifest(dir, 'two'));
    expect(await rpmSummary(rpm)).toBe('says two');
    const index = await readIndex(join(dir, 'repo/diracos-index.json'));
    expect(index.pending).toBeUndefined();
    expect(Object.keys(index.packages)).toEqual(['defined']);
  });
});
