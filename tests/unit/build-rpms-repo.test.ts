/** The repository as the engine uses it: metadata refreshed only where stale, deferred source metadata, merges. */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeRepositories } from '../../src/build-rpms/merge.js';
import { readIndex } from '../../src/repo/index-file.js';
import { Repository } from '../../src/repo/repository.js';
import { DiracosError } from '../../src/shared/errors.js';
import { nodeExec, type Exec } from '../../src/shared/exec.js';

let dir: string;

async function makeRpm(name: string, version: string, kind: '-bb' | '-bs' = '-bb'): Promise<string> {
  const top = join(dir, `top-${name}-${version}${kind}`);
  await mkdir(join(top, 'SPECS'), { recursive: true });
  const spec = join(top, 'SPECS', `${name}.spec`);
  await writeFile(spec, `Name: ${name}\nVersion: ${version}\nRelease: 1\nSummary: t\nLicense: MIT\nBuildArch: noarch\n%description\nt\n%files\n`);
  await nodeExec('rpmbuild', [kind, '--quiet', '--define', `_topdir ${top}`, spec]);
  return kind === '-bb' ? join(top, 'RPMS', 'noarch', `${name}-${version}-1.noarch.rpm`) : join(top, 'SRPMS', `${name}-${version}-1.src.rpm`);
}

/** nodeExec, counting createrepo_c runs by folder. */
function countingExec(): Exec & { createrepo: string[] } {
  const createrepo: string[] = [];
  const exec = (async (cmd, args, opts) => {
    if (cmd === 'createrepo_c') createrepo.push(args.at(-1)!);
    return nodeExec(cmd, args, opts);
  }) as Exec & { createrepo: string[] };
  exec.createrepo = createrepo;
  return exec;
}

async function repoquery(repoDir: string): Promise<string[]> {
  const cache = await mkdtemp(join(dir, 'dnfcache-'));
  const r = await nodeExec('dnf', ['-q', '--setopt=reposdir=/dev/null', `--setopt=cachedir=${cache}`, '--releasever=0', `--repofrompath=t,file://${repoDir}`, '--repo=t', 'repoquery', '--qf', '%{name}-%{version}']);
  return r.stdout.split('\n').filter(Boolean).sort();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'build-rpms-repo-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('Repository metadata refreshes', () => {
  it('refreshes binary metadata per package, source metadata at flush, and on open only the stale parts', async () => {
    const root = join(dir, 'repo');
    const first = countingExec();
    const repo = await Repository.open(first, root, 'x86_64');
    expect(first.createrepo.sort()).toEqual([join(root, 'buildOnly/x86_64'), join(root, 'src'), join(root, 'x86_64')]); // no metadata yet
    first.createrepo.length = 0;
    await repo.add('alpha', 'k1', [{ path: await makeRpm('alpha', '1'), part: 'binary' }, { path: await makeRpm('alpha', '1', '-bs'), part: 'src' }], false);
    expect(first.createrepo).toEqual([join(root, 'x86_64')]);
    expect(await repoquery(join(root, 'x86_64'))).toEqual(['alpha-1']);
    expect(await readdir(join(root, 'src'))).toContain('.diracos-stale');
    await repo.flush();
    expect(first.createrepo).toEqual([join(root, 'x86_64'), join(root, 'src')]);
    expect(await readdir(join(root, 'src'))).not.toContain('.diracos-stale');
    expect(await repoquery(join(root, 'src'))).toEqual(['alpha-1']);

    const clean = countingExec();
    await Repository.open(clean, root, 'x86_64');
    expect(clean.createrepo).toEqual([]);

    // As a run killed after a rename leaves it: the mark (here with no change) makes that part refresh.
    await writeFile(join(root, 'x86_64/.diracos-stale'), '');
    const again = countingExec();
    await Repository.open(again, root, 'x86_64');
    expect(again.createrepo).toEqual([join(root, 'x86_64')]);
    expect(await readdir(join(root, 'x86_64'))).not.toContain('.diracos-stale');
  });

  it('a failing beforeRecord takes the package out: RPMs, entry and metadata', async () => {
    const root = join(dir, 'hook');
    const repo = await Repository.open(nodeExec, root, 'x86_64');
    await repo.add('beta', 'k1', [{ path: await makeRpm('beta', '1'), part: 'binary' }], false);
    const err = await repo.add('beta', 'k2', [{ path: await makeRpm('beta', '2'), part: 'binary' }], false, async () => {
      expect(await repoquery(join(root, 'x86_64'))).toEqual(['beta-2']); // the hook sees the package in the metadata
      throw new DiracosError('step failed');
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('step failed');
    expect(repo.entry('beta')).toBeUndefined();
    expect((await readIndex(join(root, 'diracos-index.json'))).packages).toEqual({});
    expect((await readdir(join(root, 'x86_64'))).filter((f) => f.endsWith('.rpm'))).toEqual([]);
    expect(await repoquery(join(root, 'x86_64'))).toEqual([]);
  });
});

describe('mergeRepositories', () => {
  it('copies what the target lacks, skips same keys, and refuses one package with two keys', async () => {
    const a = await Repository.open(nodeExec, join(dir, 'm-a'), 'x86_64');
    const b = await Repository.open(nodeExec, join(dir, 'm-b'), 'x86_64');
    const target = join(dir, 'm-t');
    await a.add('one', 'k-one', [{ path: await makeRpm('one', '1'), part: 'binary' }], false);
    await b.add('two', 'k-two', [{ path: await makeRpm('two', '1'), part: 'buildOnly' }], true);
    await b.add('one', 'k-one', [{ path: await makeRpm('one', '1'), part: 'binary' }], false);
    const r = await mergeRepositories(nodeExec, target, [a.layout.root, b.layout.root], 'x86_64');
    expect(r.added).toEqual([{ name: 'one', from: a.layout.root }, { name: 'two', from: b.layout.root }]);
    expect(await repoquery(join(target, 'x86_64'))).toEqual(['one-1']);
    expect(await repoquery(join(target, 'buildOnly/x86_64'))).toEqual(['two-1']);
    expect((await readIndex(join(target, 'diracos-index.json'))).packages['two']).toEqual({ key: 'k-two', rpms: ['buildOnly/x86_64/two-1-1.noarch.rpm'], buildOnly: true });
    expect((await mergeRepositories(nodeExec, target, [a.layout.root, b.layout.root], 'x86_64')).present).toEqual(['one', 'two']);

    await b.add('one', 'k-other', [{ path: await makeRpm('one', '2'), part: 'binary' }], false);
    const err = await mergeRepositories(nodeExec, target, [a.layout.root, b.layout.root], 'x86_64').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiracosError);
    expect((err as Error).message).toBe(`merging repositories: package 'one' has key k-one in ${a.layout.root} and k-other in ${b.layout.root}`);
  });
});
