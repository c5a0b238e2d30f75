import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIndex } from '../../src/repo/index-file.js';
import { Repository } from '../../src/repo/repository.js';
import { nodeExec } from '../../src/shared/exec.js';

let dir: string;

/** A real (empty, noarch) RPM made with the host's rpmbuild. */
async function makeRpm(name: string, version: string): Promise<string> {
  const top = join(dir, `top-${name}-${version}`);
  await mkdir(join(top, 'SPECS'), { recursive: true });
  const spec = join(top, 'SPECS', `${name}.spec`);
  await writeFile(spec, `Name: ${name}\nVersion: ${version}\nRelease: 1\nSummary: t\nLicense: MIT\nBuildArch: noarch\n%description\nt\n%files\n`);
  await nodeExec('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${top}`, spec]);
  return join(top, 'RPMS', 'noarch', `${name}-${version}-1.noarch.rpm`);
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
    // A killed add: the RPM renamed in, metadata and index not yet updated; a temp folder; createrepo_c's temp dir.
    const { copyFile } = await import('node:fs/promises');
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
});
