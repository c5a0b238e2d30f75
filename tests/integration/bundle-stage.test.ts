// The bundle-diracos stage end to end, on real RPMs built by the engine (podman, bullseye-build).
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRpms } from '../../src/build-rpms/index.js';
import { bundleDiracos, closureRoots, type BundleResult } from '../../src/bundle-diracos/index.js';
import { completeLibraries } from '../../src/bundle-diracos/graft.js';
import { walkTree } from '../../src/bundle-diracos/walk.js';
import { readElf } from '../../src/elf/reader.js';
import type { LoadedManifest } from '../../src/manifest/load.js';
import { readIndex } from '../../src/repo/index-file.js';
import { Repository } from '../../src/repo/repository.js';
import { DiracosError, DiracosErrors } from '../../src/shared/errors.js';
import { nodeExec } from '../../src/shared/exec.js';
import { buildRpm, spliceRpm } from '../fixtures/bundle/hostile-rpm.js';
import { fixtureManifest, lockOf, tempDir, testContext, writeSpecPackages } from './build-rpms-support.js';

/** Extra fixture packages of this test: a C++ program (libstdc++ is grafted) and one with links and a script. */
const SPECS: Record<string, string> = {
  cxxhello: `Name: cxxhello
Version: 1.0
Release: 1
Summary: A C++ program: needs libstdc++, which no host policy provides
License: GPL-3.0-only
BuildRequires: gcc-c++
%description
Grafting fixture.
%prep
%build
printf '#include <iostream>\\nint main() { std::cout << "hello from c++" << std::endl; return 0; }\\n' > cxxhello.cpp
g++ -O2 -o cxxhello cxxhello.cpp
%install
install -D -m 755 cxxhello %{buildroot}%{_bindir}/cxxhello
%files
%{_bindir}/cxxhello
`,
  linky: `Name: linky
Version: 1.0
Release: 1
Summary: Hard links, an absolute symlink and a python script
License: GPL-3.0-only
BuildArch: noarch
AutoReqProv: no
Requires: hello
%description
Link pass fixture.
%install
mkdir -p %{buildroot}/usr/share/linky %{buildroot}/usr/bin
echo shared > %{buildroot}/usr/share/linky/a
ln %{buildroot}/usr/share/linky/a %{buildroot}/usr/share/linky/b
ln -s /usr/bin/hello %{buildroot}/usr/bin/greet
printf '#!/usr/bin/python3 -s\\nprint("hi")\\n' > %{buildroot}/usr/bin/linky-py
chmod 755 %{buildroot}/usr/bin/linky-py
%files
/usr/share/linky
/usr/bin/greet
/usr/bin/linky-py
`,
  // The adversarial corpus: what rpmbuild happily packages with %attr, and a bundle must not ship as is.
  modey: `Name: modey
Version: 1.0
Release: 1
Summary: setuid, setgid and world-writable entries
License: GPL-3.0-only
BuildArch: noarch
AutoReqProv: no
%description
Mode pass fixture.
%install
mkdir -p %{buildroot}/usr/bin %{buildroot}/usr/share/modey/drop
printf '#!/bin/sh\\necho modey\\n' > %{buildroot}/usr/bin/modey-suid
cp %{buildroot}/usr/bin/modey-suid %{buildroot}/usr/bin/modey-sgid
echo data > %{buildroot}/usr/share/modey/open
%files
%attr(4755,root,root) /usr/bin/modey-suid
%attr(2755,root,root) /usr/bin/modey-sgid
%attr(0666,root,root) /usr/share/modey/open
%dir %attr(1777,root,root) /usr/share/modey/drop
`,
};

const SUITES = ['bullseye', 'bookworm', 'trixie'];

describe('bundleDiracos over a repository built by the engine', () => {
  let dir: string;
  let m: LoadedManifest;
  let ctx: Awaited<ReturnType<typeof testContext>>;
  let first: BundleResult;
  let second: BundleResult;
  let tree: string;

  beforeAll(async () => {
    dir = await tempDir('bundle-stage');
    ctx = await testContext(dir);
    // The repository and the outputs live beside the workdir: the tools container must see them.
    ctx.tools.share(dir);
    const extra = [
      ...(await writeSpecPackages(dir, SPECS)),
      'bundle:',
      '  graftLibraries: true',
      '  removedFolders: [usr/include]',
      '  environment: { DIRACOS_TEST: "$DIRACOS/usr/share" }',
    ].join('\n');
    m = await fixtureManifest(dir, ['libgreet', 'hello'], extra);
    await buildRpms(ctx, m);
    first = await bundleDiracos(ctx, m, { outDir: join(dir, 'out1') });
    second = await bundleDiracos(ctx, m, { outDir: join(dir, 'out2') });
    // A path with a space, as users' home directories have.
    tree = join(dir, 'unpacked here', 'x');
    await mkdir(tree, { recursive: true });
    await nodeExec('tar', ['-xzf', first.tarball, '-C', tree]);
    tree = join(tree, 'diracos-0.1-x86_64');
  });
  afterAll(async () => (process.env.BUNDLE_STAGE_KEEP ? undefined : rm(dir, { recursive: true, force: true })));

  it('publishes the tarball, its checksums and versions.txt, nothing else, as one set behind a link', () => {
    expect(lstatSync(join(dir, 'out1')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'out1'))).toMatch(/^\.out1\.[0-9a-f]{16}$/);
    expect(first.files.map((f) => f.replace(`${dir}/out1/`, ''))).toEqual([
      'diracos-0.1-x86_64.tar.gz',
      'diracos-0.1-x86_64.tar.gz.sha256',
      'diracos-0.1-x86_64.tar.gz.md5',
      'versions.txt',
    ]);
    // and the record of the content key the tarball was made for (bundle-key.ts)
    expect(readdirSync(join(dir, 'out1')).sort()).toEqual([...first.files.map((f) => f.replace(`${dir}/out1/`, '')), 'bundle-key.json'].sort());
    expect(readFileSync(`${first.tarball}.sha256`, 'utf8')).toBe(`${first.sha256}  diracos-0.1-x86_64.tar.gz\n`);
    expect(first.size).toBe(statSync(first.tarball).size);
    // No temp root left in the stage's folder.
    expect(readdirSync(join(ctx.workdir, 'bundle-diracos')).filter((n) => n.startsWith('root.tmp-'))).toEqual([]);
  });

  it('two runs over the same repository give byte-identical tarballs', () => {
    expect(second.sha256).toBe(first.sha256);
    expect(readFileSync(second.tarball).equals(readFileSync(first.tarball))).toBe(true);
  });

  it('a re-run with nothing changed reuses the recorded tarball; a tarball changed since is made again', async () => {
    expect(first.cached).toBe(false);
    const before = ctx.reporter.tables.length;
    const again = await bundleDiracos(ctx, m, { outDir: join(dir, 'out1') });
    expect(again).toMatchObject({ cached: true, tarball: first.tarball, sha256: first.sha256, key: first.key, files: first.files });
    // the summary table is still shown, saying so
    expect(ctx.reporter.tables.slice(before).map((t) => [t.title, t.rows[0]![0]])).toEqual([['bundle-diracos', 'cached']]);
    // the record is checked against the file: a tampered tarball is not reused
    await writeFile(first.tarball, Buffer.concat([readFileSync(first.tarball), Buffer.from('x')]));
    const remade = await bundleDiracos(ctx, m, { outDir: join(dir, 'out1') });
    expect(remade.cached).toBe(false);
    expect(remade.sha256).toBe(first.sha256);
  });

  it('a second run in the same work folder waits for the first: with no time to wait it fails at once naming it, and touches none of its files', async () => {
    const live = spawn('sleep', ['60']);
    const stageDir = join(ctx.workdir, 'bundle-diracos');
    const lockFile = join(stageDir, '.diracos-lock');
    // What the running one has: its lock and its root (a killed run's root would be removed as a leftover).
    const itsRoot = join(stageDir, `root.tmp-${live.pid}`);
    try {
      await mkdir(join(itsRoot, 'usr'), { recursive: true });
      await writeFile(lockFile, await lockOf(live.pid!, 'diracos bundle -m other.yaml'));
      const err = await bundleDiracos(ctx, m, { outDir: join(dir, 'out-waiting'), lockTimeoutSeconds: 0 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DiracosError);
      expect((err as Error).message).toContain(`the work folder ${stageDir} is in use by another run: pid ${live.pid} on host `);
      expect((err as Error).message).toContain(`command 'diracos bundle -m other.yaml'`);
      expect(existsSync(join(itsRoot, 'usr'))).toBe(true);
      expect(existsSync(join(dir, 'out-waiting'))).toBe(false);
      expect(JSON.parse(await readFile(lockFile, 'utf8')).pid).toBe(live.pid);
    } finally {
      live.kill();
      await rm(lockFile, { force: true });
      await rm(itsRoot, { recursive: true, force: true });
    }
  });

  it('the closure is what dnf --installroot installs from the same repository, minus the host-provided set', async () => {
    const versions = readFileSync(join(dir, 'out1', 'versions.txt'), 'utf8');
    const listed = versions.split('# pip')[0]!.trim().split('\n');
    expect(listed).toEqual(['cxxhello-1.0-1.x86_64', 'hello-1.0-1.x86_64', 'libgreet-1.0-1.x86_64', 'libgreet-devel-1.0-1.x86_64', 'linky-1.0-1.noarch', 'modey-1.0-1.noarch']);
    // A real (not justdb) install of the same roots with the same virtual host package.
    const root = join(dir, 'dnf-root');
    const hostRpm = join(ctx.workdir, 'bundle-diracos/closure/noarch/diracos-host-provides-1-1.noarch.rpm');
    const roots = closureRoots(await readIndex(join(m.repository, 'diracos-index.json')), m.manifest.bundle);
    await nodeExec('dnf', [
      '-y', '-q', `--installroot=${root}`, '--setopt=reposdir=/dev/null', '--noplugins', '--nogpgcheck', '--setopt=install_weak_deps=False', '--releasever=0',
      `--repofrompath=diracos,file://${join(m.repository, m.arch)}`, 'install', hostRpm, ...roots,
    ]);
    const installed = (await nodeExec('rpm', ['--root', root, '-qa', '--qf', '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n'])).stdout.trim().split('\n');
    expect(installed.filter((n) => !n.startsWith('diracos-host-provides-')).sort()).toEqual(listed);
    expect(existsSync(join(root, 'usr/bin/hello'))).toBe(true);
  });

  it('the tree has no absolute symlink, hard links became separate inodes, removedFolders are gone', () => {
    const abs = [...walkTree(tree)].filter((e) => e.stat.isSymbolicLink() && readlinkSync(e.path).startsWith('/'));
    expect(abs.map((e) => e.rel)).toEqual([]);
    expect(readlinkSync(join(tree, 'usr/bin/greet'))).toBe('hello');
    const a = lstatSync(join(tree, 'usr/share/linky/a'));
    const b = lstatSync(join(tree, 'usr/share/linky/b'));
    expect([a.nlink, b.nlink]).toEqual([1, 1]);
    expect(a.ino).not.toBe(b.ino);
    expect(readFileSync(join(tree, 'usr/share/linky/b'), 'utf8')).toBe('shared\n');
    expect(existsSync(join(tree, 'usr/include'))).toBe(false);
    expect(readFileSync(join(tree, 'usr/bin/linky-py'), 'utf8')).toMatch(/^#!\/bin\/sh\n'''exec' python3 -s "\$0" "\$@"\n/);
    expect(readFileSync(join(tree, 'diracosrc'), 'utf8')).toContain(`export DIRACOS_TEST="$DIRACOS"'/usr/share'`);
  });

  it('grafts libstdc++ from the build platform and sets RPATHs relative to $ORIGIN', () => {
    expect(readElf(join(tree, 'usr/lib64/libstdc++.so.6')).soname).toBe('libstdc++.so.6');
    expect(readElf(join(tree, 'usr/bin/cxxhello')).rpath).toBe('$ORIGIN/../lib64');
    expect(readElf(join(tree, 'usr/bin/hello')).rpath).toBe('$ORIGIN/../lib64');
  });

  it.each(SUITES)('runs the bundled programs from a path with a space on %s', async (suite) => {
    const image = `localhost/diracos-platform:${suite}`;
    const script = '. "$1/diracosrc" && hello && cxxhello && greet && echo "$DIRACOS_TEST"';
    const r = await ctx.runtime.run({ image, command: ['bash', '-c', script, 'run', tree], mounts: [{ source: tree, target: tree, readOnly: true }], network: false });
    expect(r.stdout).toBe(`hello, world\nhello from c++\nhello, world\n${tree}/usr/share\n`);
  });

  it('without graftLibraries a missing library fails the stage, listing file -> library, and leaves nothing', async () => {
    const strict = { ...m, manifest: { ...m.manifest, bundle: { ...m.manifest.bundle, graftLibraries: false } } };
    const out = join(dir, 'out-strict');
    const err = await bundleDiracos(ctx, strict, { outDir: out }).then(
      () => undefined,
      (e: Error) => e,
    );
    // dnf already refuses: nothing in the repository or on the hosts provides libstdc++.
    expect(err?.message).toMatch(/libstdc\+\+\.so\.6/);
    expect(err?.message).toMatch(/cxxhello/);
    expect(existsSync(out)).toBe(false);
  });

  it('when dnf takes a root from another RPM than the index names (a newer one), the closure is extracted afresh', async () => {
    // linky 1.1 in the repository folder and its metadata, not in the index: the roots' early
    // extraction used 1.0, dnf installs 1.1.
    const top = join(dir, 'linky-1.1');
    await mkdir(top, { recursive: true });
    // 1.1 adds a file and drops one, so the tree shows which version was extracted, and that 1.0 was not.
    const spec = SPECS.linky!.replace('Version: 1.0', 'Version: 1.1')
      .replace('%files', 'echo 1.1 > %{buildroot}/usr/share/linky/version\nrm %{buildroot}/usr/bin/linky-py\n%files')
      .replace('\n/usr/bin/linky-py\n', '\n');
    await writeFile(join(top, 'linky.spec'), spec);
    await nodeExec('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${top}`, '--define', `_rpmdir ${top}`, join(top, 'linky.spec')]);
    const binary = join(m.repository, m.arch);
    const newer = join(binary, 'linky-1.1-1.noarch.rpm');
    copyFileSync(join(top, 'noarch', 'linky-1.1-1.noarch.rpm'), newer);
    await nodeExec('createrepo_c', ['--quiet', '--update', binary]);
    try {
      const r = await bundleDiracos(ctx, m, { outDir: join(dir, 'out-newer') });
      const versions = readFileSync(join(dir, 'out-newer', 'versions.txt'), 'utf8');
      expect(versions).toContain('linky-1.1-1.noarch\n');
      expect(versions).not.toContain('linky-1.0-1.noarch');
      const names = (await nodeExec('tar', ['-tzf', r.tarball])).stdout;
      expect(names).toContain('diracos-0.1-x86_64/usr/share/linky/version\n');
      expect(names).toContain('diracos-0.1-x86_64/usr/bin/hello\n');
      expect(names).not.toContain('linky-py');
    } finally {
      await rm(newer, { force: true });
      await nodeExec('createrepo_c', ['--quiet', '--update', binary]);
    }
  });

  it('ships nothing setuid, setgid or world-writable, and names each entry it changed with its package', async () => {
    const warnings = ctx.reporter.messages('warning');
    for (const line of [
      'bundle-diracos: /usr/bin/modey-suid (file of modey-1.0-1.noarch.rpm): setuid (4755 -> 0755) removed',
      'bundle-diracos: /usr/bin/modey-sgid (file of modey-1.0-1.noarch.rpm): setgid (2755 -> 0755) removed',
      'bundle-diracos: /usr/share/modey/open (file of modey-1.0-1.noarch.rpm): world-writable (0666 -> 0664) removed',
      'bundle-diracos: /usr/share/modey/drop (directory of modey-1.0-1.noarch.rpm): world-writable (1777 -> 1775) removed',
    ]) {
      expect(warnings).toContain(`${line} (payload-mode rules: nothing setuid, setgid or world-writable is shipped)`);
    }
    const listing = (await nodeExec('tar', ['-tvzf', first.tarball])).stdout.trim().split('\n');
    expect(listing.filter((l) => /^[^l](..[sS]|.....[sS]|.......w)/.test(l))).toEqual([]);
    expect(listing.find((l) => l.endsWith('/usr/bin/modey-suid'))).toMatch(/^-rwxr-xr-x /);
    const summary = ctx.reporter.tables.find((t) => t.title === 'bundle-diracos')!;
    expect(summary.header.at(-1)).toBe('modes stripped');
    expect(summary.rows[0]!.at(-1)).toBe('4');
  });

  it('a tampered RPM (rpm -K: digests NOT OK) fails the stage naming it; the published set is untouched', async () => {
    // Its payload replaced after the build, every digest made again but the legacy MD5, and the
    // repository metadata made again over it: dnf and rpm2cpio take it, only rpm -K gives it away.
    const rpm = join(m.repository, m.arch, 'linky-1.0-1.noarch.rpm');
    const original = await readFile(rpm);
    const binary = join(m.repository, m.arch);
    spliceRpm(rpm, rpm, [
      { name: './usr/share/linky', mode: 0o40755 },
      { name: './usr/share/linky/a', mode: 0o100644, data: 'replaced after the build\n' },
    ], { tamper: 'md5' });
    await nodeExec('createrepo_c', ['--quiet', '--update', binary]);
    try {
      const err = await bundleDiracos(ctx, m, { outDir: join(dir, 'out1') }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err).toBeInstanceOf(DiracosErrors);
      expect(err?.message).toContain('refusing to extract linky-1.0-1.noarch.rpm');
      expect(err?.message).toMatch(/linky-1\.0-1\.noarch\.rpm: digests NOT OK \(MD5 digest: BAD/);
      expect(readFileSync(join(dir, 'out1', 'diracos-0.1-x86_64.tar.gz')).equals(readFileSync(second.tarball))).toBe(true);
      await nodeExec('sha256sum', ['--check', '--quiet', 'diracos-0.1-x86_64.tar.gz.sha256'], { cwd: join(dir, 'out1') });
      // Even a failed run reports what it did, and where it stopped.
      const summary = ctx.reporter.tables.filter((t) => t.title === 'bundle-diracos').at(-1)!;
      expect(summary.rows[0]![0]).toMatch(/^FAILED in /);
    } finally {
      await writeFile(rpm, original);
      await nodeExec('createrepo_c', ['--quiet', '--update', binary]);
    }
  });

  it.skipIf(process.getuid?.() !== 0)('a full disk while writing the tarball is one clear error naming it; nothing partial is left', async () => {
    // A 256 KiB tmpfs holds versions.txt but not the tarball: a real ENOSPC, not a simulated one.
    const mnt = await mkdtemp(join(tmpdir(), 'bundle-enospc-'));
    await nodeExec('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt]);
    // A context of its own: its tools container (which mounts the tmpfs) ends before the unmount.
    const own = await testContext(dir);
    own.tools.share(dir);
    try {
      const out = join(mnt, 'out');
      const err = await bundleDiracos(own, m, { outDir: out }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err).toBeInstanceOf(DiracosError);
      expect(err?.message).toMatch(new RegExp(`^writing the tarball ${mnt}/\\.out\\.tmp-\\d+/diracos-0\\.1-x86_64\\.tar\\.gz: no space left on the device \\[ENOSPC\\]; free space there`));
      expect(readdirSync(mnt)).toEqual([]);
      // The summary tables of what it did are still reported.
      const reported = own.reporter.tables;
      expect(reported.map((t) => t.title)).toEqual(['bundle-diracos phases', 'bundle-diracos']);
      expect(reported[0]!.rows.at(-1)).toEqual(['tar + compress + digests', expect.any(String), 'FAILED']);
      expect(reported[1]!.rows[0]!.slice(0, 2)).toEqual(['FAILED in tar + compress + digests', '6']);
    } finally {
      await own.tools.close();
      await nodeExec('umount', [mnt]);
      await rm(mnt, { recursive: true, force: true });
    }
  });

  it('a hostile RPM in the repository fails the stage naming the package and leaves no partial output', async () => {
    const evil = spliceRpm(buildRpm(join(dir, 'evil'), 'evilpkg'), join(dir, 'evil', 'evilpkg-1-1.noarch.rpm'), [
      { name: './usr', mode: 0o40755 },
      { name: './usr/lib/escape', mode: 0o120777, data: '/tmp' },
      { name: './usr/lib/escape/evil', mode: 0o100644, data: 'x' },
    ]);
    const repo = await Repository.open(nodeExec, m.repository, m.arch);
    await repo.add('evilpkg', 'evil-key', [{ path: evil, part: 'binary' }], false);
    const out = join(dir, 'out-evil');
    const err = await bundleDiracos(ctx, m, { outDir: out }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(DiracosErrors);
    expect(err?.message).toContain('refusing to extract evilpkg-1-1.noarch.rpm');
    expect(err?.message).toContain('./usr/lib/escape/evil would be written through the symlink ./usr/lib/escape of the same package');
    expect(existsSync('/tmp/evil')).toBe(false);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.startsWith('.out-evil.'))).toEqual([]);
    expect(readdirSync(join(ctx.workdir, 'bundle-diracos')).filter((n) => n.startsWith('root.tmp-'))).toEqual([]);
    // The earlier outputs are untouched.
    expect((await readFile(join(dir, 'out1', 'versions.txt'), 'utf8')).startsWith('cxxhello-1.0-1.x86_64\n')).toBe(true);
  });

  it('ELF completeness on its own: fails listing file -> library, or grafts from the given root', () => {
    const lone = join(dir, 'lone');
    mkdirSync(join(lone, 'usr/bin'), { recursive: true });
    copyFileSync(join(tree, 'usr/bin/cxxhello'), join(lone, 'usr/bin/cxxhello'));
    const hostSonames = ['libc.so.6', 'libm.so.6', 'libgcc_s.so.1', 'ld-linux-x86-64.so.2'];
    expect(() => completeLibraries(lone, { hostSonames, graft: false, buildRoot: '/' })).toThrow(/\/usr\/bin\/cxxhello -> libstdc\+\+\.so\.6/);
    const { grafted } = completeLibraries(lone, { hostSonames, graft: true, buildRoot: '/' });
    expect(grafted.map((g) => [g.soname, g.to])).toEqual([['libstdc++.so.6', 'usr/lib64/libstdc++.so.6']]);
    expect(readElf(join(lone, 'usr/lib64/libstdc++.so.6')).soname).toBe('libstdc++.so.6');
  });
});
