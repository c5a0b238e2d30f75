/**
 * Paths a user can make: a manifest folder, work folder and repository whose names hold spaces,
 * parentheses, quotes, `:`, `,` and non-ASCII letters. Every kind of package builds (an SRPM and a
 * tarball read from such a folder), the program's BuildRequires comes from such a repository, and
 * the repository's metadata lists what its index does; then the bundle stage makes its tarball there.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRpms } from '../../src/build-rpms/index.js';
import { bundleDiracos } from '../../src/bundle-diracos/index.js';
import { readIndex } from '../../src/repo/index-file.js';
import { nodeExec } from '../../src/shared/exec.js';
import { fileUrl } from '../../src/shared/file-url.js';
import { fixtureManifest, tempDir, testContext } from './build-rpms-support.js';

const ODD_WORK = `wörk dir (1) 'q' "dq" a:b,c`;
const ODD_REPO = `répo (2) 'x' "y" c:d,e`;

describe('build-rpms with odd paths', () => {
  let dir: string;
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it(`builds with the manifest and work folder in '${ODD_WORK}' and the repository in '${ODD_REPO}'`, async () => {
    dir = await tempDir('paths');
    const base = join(dir, ODD_WORK);
    const m = await fixtureManifest(base, ['libgreet', 'hello', 'fromsrpm', 'tarpkg'], '', ODD_REPO);
    const repo = join(base, ODD_REPO);
    expect(m.repository).toBe(repo);
    const ctx = await testContext(base, 2);
    expect(ctx.workdir).toBe(join(base, 'work'));

    const first = await buildRpms(ctx, m);
    expect(Object.fromEntries(first.packages.map((p) => [p.name, p.status]))).toEqual({ libgreet: 'built', hello: 'built', fromsrpm: 'built', tarpkg: 'built' });
    expect(await readFile(join(base, 'work/build-rpms/logs/hello.log'), 'utf8')).toMatch(/libgreet-devel\s+x86_64\s+1\.0-1\s+diracos/);
    const again = await buildRpms(ctx, m);
    expect(again.packages.map((p) => p.status)).toEqual(['cached', 'cached', 'cached', 'cached']);

    // dnf reads the metadata createrepo_c wrote there (through fileUrl: dnf needs `,` `:` and spaces escaped).
    const index = await readIndex(join(repo, 'diracos-index.json'));
    const listed = Object.values(index.packages).flatMap((e) => e.rpms).filter((r) => r.startsWith('x86_64/')).map((r) => r.slice('x86_64/'.length)).sort();
    const q = await nodeExec('dnf', [
      '-q', '--setopt=reposdir=/dev/null', `--setopt=cachedir=${join(dir, 'dnfcache')}`, '--releasever=0',
      `--repofrompath=t,${fileUrl(join(repo, 'x86_64'))}`, '--repo=t', 'repoquery', '--qf', '%{name}-%{version}-%{release}.%{arch}.rpm',
    ]);
    expect(q.stdout.split('\n').filter(Boolean).sort()).toEqual(listed);
    expect(listed.length).toBe(5);

    // The bundle: dnf solves against that repository (a file: URL), the host-provides RPM is built,
    // the payloads are extracted and the tarball published, all under the odd work folder.
    const out = join(base, `out (3) 'z' a:b`);
    const bundle = await bundleDiracos(ctx, m, { outDir: out });
    expect(bundle.tarball.startsWith(out)).toBe(true);
    const listing = (await nodeExec('tar', ['-tzf', bundle.tarball])).stdout;
    expect(listing).toMatch(/\/usr\/bin\/hello\n/);
    expect(listing).toMatch(/\/diracosrc\n/);
  });
});
