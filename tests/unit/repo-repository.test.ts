import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIndex } from '../../src/repo/index-file.js';
import { Repository } from '../../src/repo/repository.js';
import { DiracosError } from '../../src/shared/errors.js';
import { nodeExec, type Exec } from '../../src/shared/exec.js';

let dir: string;

/** A real (empty, noarch) RPM made with the host's rpmbuild; `summary` tells builds of one NVR apart. */
async function makeRpm(name: string, version: string, summary = 't'): Promise<string> {
  const top = await mkdtemp(join(dir, `top-${name}-${version}-`));
  await mkdir(join(top, 'SPECS'), { recursive: true });
  const spec = join(top, 'SPECS', `${name}.spec`);
  await writeFile(spec, `Name: ${name}\nVersion: ${version}\nRelease: 1\nSummary: ${summary}\nLicense: MIT\nBuildArch: noarch\n%description\nt\n%files\n`);
  await nodeExec('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${top}`, spec]);
  return join(top, 'RPMS', 'noarch', `${name}-${version}-1.noarch.rpm`);
}

async function summaryOf(rpm: string): Promise<string> {
  return (await nodeExec('rpm', ['-qp', '--nosignature', '--qf', '%{SUMMARY}', rpm])).stdout;
}

/** The packages dnf sees in one part of the repository (proves createrepo_c metadata is valid and current). */
async function repoquery(repoDir: string): Promise<string[]> {
  const cache = await mkdtemp(join(dir, 'dnfcache-'));
  const r = await nodeExec('dnf', ['-q', '--setopt=reposdir=/dev/null', `--setopt=cachedir=${cache}`, '--releasever=0', `--repofrompath=t,file://${repoDir}`, '--repo=t', 'repoquery', '--qf', '%{name}-%{version}']);
  return r.stdout.split('\n').filter(Boolean).sort();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'repo-repository-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('Repository', () => {
  it('creates the DIRACOS layout with metadata, adds, replaces and records packages', async () => {
    const root = join(dir, 'repo');
    const repo = await Repository.open(nodeExec, root, 'x86_64');
    for (const sub of ['x86_64/repodata/repomd.xml', 'src/repodata/repomd.xml', 'buildOnly/x86_64/repodata/repomd.xml']) {
      expect((await readdir(join(root, sub, '..'))).includes('repomd.xml')).toBe(true);
    }
    const a1 = await makeRpm('alpha', '1');
    const b1 = await makeRpm('beta', '1');
    await Promise.all([repo.add('alpha', 'k-a1', [{ path: a1, part: 'binary' }], false), repo.add('beta', 'k-b1', [{ path: b1, part: 'buildOnly' }], true)]);
    expect(await repoquery(join(root, 'x86_64'))).toEqual(['alpha-1']);
    expect(await repoquery(join(root, 'buildOnly/x86_64'))).toEqual(['beta-1']);

    const a2 = await makeRpm('alpha', '2');
    const entry = await repo.add('alpha', 'k-a2', [{ path: a2, part: 'binary' }], false);
    expect(entry).toEqual({ key: 'k-a2', rpms: ['x86_64/alpha-2-1.noarch.rpm'], buildOnly: false });
    expect(await repoquery(join(root, 'x86_64'))).toEqual(['alpha-2']);
    const index = await readIndex(join(root, 'diracos-index.json'));
    expect(Object.keys(index.packages)).toEqual(['alpha', 'beta']);
    expect(index.packages.beta).toEqual({ key: 'k-b1', rpms: ['buildOnly/x86_64/beta-1-1.noarch.rpm'], buildOnly: true });
  });

  it('recovers from what an interrupted run leaves: temp folders, unindexed RPMs, createrepo_c debris, lost files', async () => {
    const root = join(dir, 'repo2');
    const repo = await Repository.open(nodeExec, root, 'x86_64');
    await repo.add('alpha', 'k-a1', [{ path: await makeRpm('alpha', '1'), part: 'binary' }], false);
    await repo.add('beta', 'k-b1', [{ path: await makeRpm('beta', '1'), part: 'binary' }], false);
    // An RPM no entry lists (moved aside: see below); a temp folder and createrepo_c's temp dir of a killed run; a lost file.
    await copyFile(await makeRpm('gamma', '1'), join(root, 'x86_64', 'gamma-1-1.noarch.rpm'));
    await mkdir(join(root, '.incoming-XYZ'));
    await mkdir(join(root, 'x86_64', '.repodata'));
    await rm(join(root, 'x86_64', 'beta-1-1.noarch.rpm'));

    const reopened = await Repository.open(nodeExec, root, 'x86_64');
    expect(reopened.entry('alpha')?.key).toBe('k-a1');
    expect(reopened.entry('beta')).toBeUndefined();
    expect((await readdir(root)).filter((f) => f.startsWith('.'))).toEqual([]);
    expect((await readdir(join(root, 'x86_64'))).sort()).toEqual(['alpha-1-1.noarch.rpm', 'repodata']);
    expect(await repoquery(join(root, 'x86_64'))).toEqual(['alpha-1']);
    expect(Object.keys((await readIndex(join(root, 'diracos-index.json'))).packages)).toEqual(['alpha']);
  });

  it('a change interrupted once its RPMs entered (before metadata and index) leaves no key over RPMs built from other inputs', async () => {
    const root = join(dir, 'repo-rekey');
    // createrepo_c "dies" on demand: what an add leaves when its process is killed at that point.
    let dies = false;
    const exec: Exec = (command, args, options) => (dies && command === 'createrepo_c' ? Promise.reject(new Error('killed')) : nodeExec(command, args, options));
    const repo = await Repository.open(exec, root, 'x86_64');
    await repo.add('alpha', 'k-one', [{ path: await makeRpm('alpha', '1', 'one'), part: 'binary' }], false);
    dies = true;
    // The same file name, other content (another define): it replaces the old file in place.
    await expect(repo.add('alpha', 'k-two', [{ path: await makeRpm('alpha', '1', 'two'), part: 'binary' }], false)).rejects.toThrow('killed');

    const reopened = await Repository.open(nodeExec, root, 'x86_64');
    const entry = reopened.entry('alpha');
    // Either no entry (the package is rebuilt) or one whose key is what its RPM was built from.
    if (entry) expect({ key: entry.key, summary: await summaryOf(reopened.path(entry.rpms[0]!)) }).toEqual({ key: 'k-two', summary: 'two' });
    expect(entry?.key).not.toBe('k-one');
    expect(await repoquery(join(root, 'x86_64'))).toEqual(entry ? ['alpha-1'] : []);
    expect((await readIndex(join(root, 'diracos-index.json'))).pending).toBeUndefined();
  });

  it('RPMs that no index entry lists are reported and moved out of the repository, not deleted', async () => {
    const root = join(dir, 'repo-unindexed');
    const repo = await Repository.open(nodeExec, root, 'x86_64');
    await repo.add('alpha', 'k-a1', [{ path: await makeRpm('alpha', '1'), part: 'binary' }], false);
    // What another run writing the repository at the same time, or a user, left there.
    await copyFile(await makeRpm('delta', '1', 'lost'), join(root, 'x86_64', 'delta-1-1.noarch.rpm'));
    await copyFile(await makeRpm('epsilon', '2'), join(root, 'src', 'epsilon-2-1.noarch.rpm'));

    const warnings: string[] = [];
    const reopened = await Repository.open(nodeExec, root, 'x86_64', { onWarning: (m) => warnings.push(m) });
    expect(Object.keys(reopened.entries())).toEqual(['alpha']);
    const moved = [join(root, 'unindexed/x86_64/delta-1-1.noarch.rpm'), join(root, 'unindexed/src/epsilon-2-1.noarch.rpm')];
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`repository ${root}: 2 RPM(s) that its index (diracos-index.json) does not list were moved out of the repository, not deleted`);
    for (const m of moved) expect(warnings[0]).toContain(`\n  ${m}`);
    expect(await summaryOf(moved[0]!)).toBe('lost');
    // Out of the metadata: nothing is built or bundled from them.
    expect(await repoquery(join(root, 'x86_64'))).toEqual(['alpha-1']);
    expect(await repoquery(join(root, 'src'))).toEqual([]);

    // Opening again finds nothing more to report.
    const again: string[] = [];
    await Repository.open(nodeExec, root, 'x86_64', { onWarning: (m) => again.push(m) });
    expect(again).toEqual([]);
  });

  it('refuses an RPM file another package already put in, naming both', async () => {
    const root = join(dir, 'repo-clash');
    const repo = await Repository.open(nodeExec, root, 'x86_64');
    const shared = await makeRpm('common', '1');
    await repo.add('first', 'k-1', [{ path: shared, part: 'binary' }], false);
    const err = await repo.add('second', 'k-2', [{ path: shared, part: 'binary' }], false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiracosError);
    expect((err as Error).message).toBe(`package 'second': its RPM x86_64/common-1-1.noarch.rpm is already in the repository ${root} as an RPM of package 'first'`);
    expect(repo.entry('first')?.rpms).toEqual(['x86_64/common-1-1.noarch.rpm']);
    expect(repo.entry('second')).toBeUndefined();
  });
});
