/**
 * EL rules as data and the shell the engine generates from them for EL platforms (no EL image runs
 * here): every generated script is read by bash (-n) and shellcheck, and the repo files are read by
 * the host's dnf against real repositories (rpmbuild + createrepo_c).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldRpmNames, hiddenInBase } from '../../src/build-rpms/backend.js';
import { containerBuildScript, rpmbuildLine, containerRepos } from '../../src/build-rpms/backend-container.js';
import { buildImageSetup, dnfRepoArgs, ourRepoFile } from '../../src/build-rpms/dnf.js';
import { buildRootPackages, TARGET_RULES } from '../../src/build-rpms/mock-rules.js';
import { FAMILY_RULES } from '../../src/build-rpms/platform-rules.js';
import { queryScript, SPEC_QUERY_PYTHON } from '../../src/build-rpms/query.js';
import { closureDnfArgs } from '../../src/bundle-diracos/closure.js';
import type { LoadedManifest } from '../../src/manifest/load.js';
import type { PlatformSpec } from '../../src/manifest/types.js';
import { baseRepoFile } from '../../src/platform/image-setup.js';
import { platformRelease, RELEASE_RULES, releaseKey, REPO_FILES } from '../../src/platform/release-rules.js';
import { repoLayout } from '../../src/repo/layout.js';
import { DiracosError } from '../../src/shared/errors.js';
import { nodeExec } from '../../src/shared/exec.js';

const VAULT6 = 'https://vault.centos.org/6.10';
const VAULT7 = 'https://vault.centos.org/7.9.2009';
const slc6: PlatformSpec = {
  name: 'slc6',
  image: 'centos:6',
  family: 'el',
  baseRepos: [
    { name: 'base', baseurl: `${VAULT6}/os/$basearch/` },
    { name: 'updates', baseurl: `${VAULT6}/updates/$basearch/` },
  ],
};
const cc7: PlatformSpec = {
  name: 'cc7',
  image: 'centos:7',
  family: 'el',
  baseRepos: ['os', 'updates', 'extras'].map((r) => ({ name: r === 'os' ? 'base' : r, baseurl: `${VAULT7}/${r}/$basearch/` })),
  mock: { releasever: '7' },
};
const alma9: PlatformSpec = { name: 'alma9', image: 'almalinux:9', family: 'el', baseRepos: [{ name: 'baseos', baseurl: 'https://repo.almalinux.org/almalinux/9/BaseOS/$basearch/os/' }] };
const fedora: PlatformSpec = { name: 'fedora', image: 'fedora:41', family: 'fedora' };
const bullseye: PlatformSpec = { name: 'bullseye', image: 'localhost/diracos-platform:bullseye-build', family: 'debian' };
const PLATFORMS = [slc6, cc7, alma9, fedora, bullseye];

async function lint(script: string): Promise<void> {
  await nodeExec('bash', ['-n'], { input: script });
  const r = await nodeExec('shellcheck', ['-s', 'bash', '-f', 'gcc', '-'], { input: script, allowFailure: true });
  expect(r.stdout + r.stderr, script).toBe('');
  expect(r.exitCode).toBe(0);
}

describe('release rules', () => {
  it.each([
    ['centos:6', 'el6'],
    ['docker.io/library/centos:7', 'el7'],
    ['centos:centos7.9.2009', 'el7'],
    ['gitlab-registry.cern.ch/linuxsupport/slc6-base', 'el6'],
    ['gitlab-registry.cern.ch/linuxsupport/cc7-base:latest', 'el7'],
    ['gitlab-registry.cern.ch/linuxsupport/alma9-base', 'el'],
    ['quay.io/centos/centos:stream9', 'el'],
    ['rockylinux:8', 'el'],
    ['registry.access.redhat.com/ubi8/ubi', 'el'],
  ])('knows the release of %s', (image, key) => {
    expect(releaseKey({ name: 'p', image, family: 'el' })).toBe(key);
  });

  it('prefers mock.releasever, and refuses an EL image of unknown release naming the key to set', () => {
    expect(releaseKey({ name: 'p', image: 'centos:7', family: 'el', mock: { releasever: '6' } })).toBe('el6');
    expect(platformRelease(fedora)).toBe('41');
    expect(releaseKey({ ...fedora, image: 'fedora:latest' })).toBe('fedora');
    const unknown = () => releaseKey({ name: 'grid', image: 'registry.example.org/worker:2024', family: 'el' });
    expect(unknown).toThrow(DiracosError);
    expect(unknown).toThrow(/platforms\[grid\].*'registry\.example\.org\/worker:2024'.*set platforms\[grid\]\.mock\.releasever/);
    expect(() => releaseKey({ name: 'old', image: 'centos:5', family: 'el' })).toThrow(/EL 5 is not supported/);
  });

  it('yum on EL6/EL7, dnf from EL8 and on Fedora; no rpmspec on EL6', () => {
    expect(Object.fromEntries(Object.entries(RELEASE_RULES).map(([k, r]) => [k, [r.packageManager, r.specQuery]]))).toEqual({
      debian: ['dnf', 'rpmspec'],
      el6: ['yum', 'rpm-python'],
      el7: ['yum', 'rpmspec'],
      el: ['dnf', 'rpmspec'],
      fedora: ['dnf', 'rpmspec'],
    });
    for (const key of ['el6', 'el7', 'el', 'fedora']) expect(TARGET_RULES[key]!.packageManager).toBe(RELEASE_RULES[key as 'el6'].packageManager);
  });

  it("has the build root of mock-core-configs' EOL CentOS 6/7 configs (plus shadow-utils)", () => {
    const eol = (util: string) => `bash bzip2 coreutils cpio diffutils findutils gawk gcc gcc-c++ grep gzip info make patch redhat-rpm-config rpm-build sed tar unzip ${util} which xz`.split(' ');
    expect(buildRootPackages(slc6)).toEqual([...eol('util-linux-ng'), 'shadow-utils'].sort());
    expect(buildRootPackages(cc7)).toEqual([...eol('util-linux'), 'shadow-utils'].sort());
    expect(buildRootPackages({ ...cc7, mock: { releasever: '7', chrootSetup: ['bash', 'rpm-build'] } })).toEqual(['bash', 'rpm-build']);
    expect(buildRootPackages(bullseye)).toEqual([]);
  });
});

describe('image preparation', () => {
  it('replaces the stock repositories of EL6/EL7 by the baseRepos, then installs what planning and builds need', () => {
    const [repos, install, ...rest] = buildImageSetup({ ...slc6, setup: ['yum -y install mock'] }, 'container');
    expect(rest).toEqual(['yum -y install mock']);
    expect(repos).toContain(`for f in ${REPO_FILES.dir}/*.repo; do`);
    expect(repos).toContain(`mv -f -- "$f" "$f${REPO_FILES.stockSuffix}"`);
    expect(repos).toContain(`>${REPO_FILES.dir}/${REPO_FILES.base}`);
    expect(repos).toContain(`'baseurl=${VAULT6}/os/$basearch/'`);
    expect(install).toBe(`yum -y '--disablerepo=epel*' install ${[...new Set([...RELEASE_RULES.el6.imagePackages, ...buildRootPackages(slc6)])].join(' ')}`);
    // mock's image needs only what planning and source RPMs need: the build root is mock's chroot.
    expect(buildImageSetup(cc7, 'mock')[1]).toBe("yum -y '--disablerepo=epel*' install rpm-build yum-utils");
    expect(buildImageSetup(alma9, 'mock')[1]).toBe("dnf -y '--disablerepo=epel*' --setopt=install_weak_deps=False install rpm-build");
    // No baseRepos: the stock repositories stay; Debian: only its own setup.
    expect(buildImageSetup(fedora, 'mock')).toEqual(["dnf -y '--disablerepo=epel*' --setopt=install_weak_deps=False install rpm-build"]);
    expect(buildImageSetup({ ...bullseye, setup: ['apt-get install -y tcl'] }, 'container')).toEqual(['apt-get install -y tcl']);
  });

  it.each(PLATFORMS.map((p) => [p.name, p] as const))('writes setup commands bash and shellcheck accept (%s)', async (_name, platform) => {
    for (const backend of ['container', 'mock'] as const) {
      for (const command of buildImageSetup(platform, backend)) await lint(command);
    }
  });
});

describe('container builds', () => {
  const script = (platform: PlatformSpec, exclude: string[] = ['zlib', 'zlib-devel']) =>
    containerBuildScript({ platform, arch: 'x86_64', registerPlatform: [], install: ['zlib-devel >= 1.2.7', 'gcc', '/usr/bin/pkg-config'], exclude, build: [rpmbuildLine(['/build/SPECS/x.spec'])] });

  it('installs with yum on EL6/EL7, our repositories written as a repo file and ours hidden in the baseRepos', () => {
    for (const platform of [slc6, cc7]) {
      const text = script(platform);
      expect(text).not.toMatch(/\bdnf\b/);
      expect(text).toContain(`>${REPO_FILES.dir}/${REPO_FILES.ours}`);
      expect(text).toContain('baseurl=file:///repo/x86_64 ');
      expect(text).toContain("'exclude=zlib zlib-devel'");
      expect(text).toContain("\nyum -y '--disablerepo=epel*' install 'zlib-devel >= 1.2.7' gcc /usr/bin/pkg-config\nrpmbuild -ba ");
    }
    expect(script(cc7, [])).not.toContain('exclude=');
  });

  it('installs with dnf from EL8, ours hidden in the declared base repositories', () => {
    const text = script(alma9);
    expect(text).toMatch(/\ndnf -y .*--repofrompath=baseos,.* --setopt=baseos\.excludepkgs=zlib,zlib-devel .*install 'zlib-devel >= 1\.2\.7' gcc/);
    expect(text).not.toMatch(/\byum\b/);
  });

  it.each(PLATFORMS.map((p) => [p.name, p] as const))('writes a build script bash and shellcheck accept (%s)', async (_name, platform) => {
    await lint(script(platform));
    await lint(script(platform, []));
  });

  it('hides what the repository holds, binary and buildOnly, never a name it does not hold yet', async () => {
    const root = mkdtempSync(join(tmpdir(), 'held-'));
    try {
      const layout = repoLayout(root, 'x86_64');
      for (const [dir, files] of [
        [layout.binary, ['zlib-1.2.13-1.el7.x86_64.rpm', 'zlib-devel-1.2.13-1.el7.x86_64.rpm', 'python3-setuptools-65-1.noarch.rpm']],
        [layout.buildOnly, ['gdb-headless-7.6-1.el7.x86_64.rpm']],
        [layout.src, ['xz-5.4-1.el7.src.rpm']],
      ] as const) {
        mkdirSync(dir, { recursive: true });
        for (const f of files) writeFileSync(join(dir, f), '');
      }
      mkdirSync(join(layout.binary, 'repodata'));
      expect(await heldRpmNames(layout)).toEqual(['gdb-headless', 'python3-setuptools', 'zlib', 'zlib-devel']);
      expect(await heldRpmNames(repoLayout(join(root, 'none'), 'x86_64'))).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('spec queries', () => {
  const specs = [
    { name: 'zlib', spec: '/trees/zlib/SPECS/zlib.spec', options: ['--define', 'dist .el6', '--with', 'static'] },
    { name: 'odd name', spec: "/trees/odd name/SPECS/it's.spec", options: [] },
  ];

  it('queries with rpm-python on EL6, rpmspec elsewhere; checks the repositories with repoquery (yum) or dnf', () => {
    const el6 = queryScript(slc6, specs, { checkPlatform: true });
    expect(el6).not.toContain('rpmspec');
    expect(el6).toContain('"$py" /q/specquery.py "$s" "$d" "$@"');
    expect(el6).toContain('rpmbuild -bs --nodeps');
    expect(el6).toContain("repoquery -q '--disablerepo=epel*' --whatprovides");
    const el7 = queryScript(cc7, specs, { checkPlatform: true });
    expect(el7).toContain('rpmspec -q --buildrequires');
    expect(el7).toContain('repoquery -q');
    expect(el7).not.toContain('dnf');
    expect(queryScript(alma9, specs, { checkPlatform: true })).toContain('dnf -q repoquery');
  });

  it.each(PLATFORMS.map((p) => [p.name, p] as const))('writes a query script bash and shellcheck accept (%s)', async (_name, platform) => {
    await lint(queryScript(platform, specs, { checkPlatform: true }));
    await lint(queryScript(platform, specs, { checkPlatform: false }));
  });

  it('ships a Python helper Python compiles', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specquery-'));
    try {
      writeFileSync(join(dir, 'specquery.py'), SPEC_QUERY_PYTHON);
      await nodeExec('/usr/bin/python3', ['-m', 'py_compile', join(dir, 'specquery.py')]);
      // Python 2.6 (EL6): no f-strings, no {} format fields, no print statement either way.
      expect(SPEC_QUERY_PYTHON).not.toMatch(/\bf'|\bf"|\.format\(|print[ (]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('repo files and dnf options read by the real dnf', () => {
  let work: string;
  const rpm = async (name: string, version: string, repo: string, extra: string[] = []) => {
    const spec = join(work, `${name}-${version}.spec`);
    writeFileSync(spec, [`Name: ${name}`, `Version: ${version}`, 'Release: 1', 'Summary: t', 'License: MIT', 'BuildArch: noarch', ...extra, '%description', 't', '%files', ''].join('\n'));
    await nodeExec('rpmbuild', ['-bb', '--define', `_topdir ${join(work, 'top')}`, '--define', `_rpmdir ${repo}`, '--define', '_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm', spec]);
  };
  const query = async (args: string[]) => {
    const { stdout } = await nodeExec('dnf', [
      '-q', '--installroot', join(work, 'root'), '--releasever', '7', '--forcearch', 'x86_64', '--setopt', `cachedir=${join(work, 'cache')}`, '--disableplugin=*',
      ...args, 'repoquery', '--qf', '%{name}-%{version} %{repoid}', 'zlib', 'bash',
    ]);
    return stdout.trim().split('\n').sort();
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'el-repos-'));
    // ours: the repository's binary part (<repository>/<arch>), as the bundle's closure reads it.
    for (const d of ['ours', 'base']) mkdirSync(join(work, d), { recursive: true });
    await rpm('zlib', '1.2.13', join(work, 'ours'));
    await rpm('zlib', '9.9', join(work, 'base'));
    await rpm('bash', '4.2', join(work, 'base'));
    // Our CPython provides python3-devel; the base one has the shorter name, which yum would prefer.
    await rpm('diracos-python3.11', '3.11.2', join(work, 'ours'), ['Provides: python3-devel = 3.11.2', 'Provides: python(abi) = 3.11', 'Provides: python3.11']);
    await rpm('python3-devel', '3.6.8', join(work, 'base'));
    for (const d of ['ours', 'base']) await nodeExec('createrepo_c', ['-q', join(work, d)]);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const platform: PlatformSpec = { ...cc7, baseRepos: [{ name: 'base', baseurl: '' }] };
  const withBase = () => ({ ...platform, baseRepos: [{ name: 'base', baseurl: `file://${join(work, 'base')}/` }] });

  it('the yum repo files: ours and the baseRepos without what we hold', async () => {
    const reposdir = join(work, 'repos.d');
    mkdirSync(reposdir, { recursive: true });
    writeFileSync(join(reposdir, REPO_FILES.ours), [...ourRepoFile([{ id: 'diracos', dir: join(work, 'ours') }])].join('\n'));
    writeFileSync(join(reposdir, REPO_FILES.base), baseRepoFile(withBase(), ['zlib']).join('\n'));
    expect(await query([`--setopt=reposdir=${reposdir}`])).toEqual(['bash-4.2 base', 'zlib-1.2.13 diracos']);
    writeFileSync(join(reposdir, REPO_FILES.base), baseRepoFile(withBase()).join('\n'));
    expect(await query([`--setopt=reposdir=${reposdir}`, '--setopt=diracos.priority=99'])).toContain('zlib-9.9 base');
  });

  it("the bundle closure's dnf options: what we rebuilt wins over a newer base package, $releasever is the platform's", async () => {
    symlinkSync(join(work, 'ours'), join(work, 'x86_64'));
    const m = { buildPlatform: { ...withBase(), mock: undefined, image: 'centos:7' }, arch: 'x86_64', repository: work } as unknown as LoadedManifest;
    const args = closureDnfArgs(m);
    expect(args).toContain('--releasever=7');
    const r = await nodeExec('dnf', [
      '--installroot', join(work, 'closure-root'), '--setopt', `cachedir=${join(work, 'cache')}`, ...args, 'install', '--assumeno', 'zlib', 'bash',
    ], { allowFailure: true });
    const chosen = r.stdout.split('\n').filter((l) => / noarch /.test(l)).map((l) => l.trim().split(/\s+/)).map(([name, , version, repo]) => `${name}-${version} ${repo}`);
    expect(chosen.sort()).toEqual(['bash-4.2-1 base', 'zlib-1.2.13-1 diracos']);
  });

  it('hides what our repository holds and, for yum, the package names it provides', async () => {
    const layout = { ...repoLayout(work, 'x86_64'), binary: join(work, 'ours'), buildOnly: join(work, 'none') };
    expect(await hiddenInBase(layout, 'yum')).toEqual(['diracos-python3.11', 'python3-devel', 'python3.11', 'zlib']);
    expect(await hiddenInBase(layout, 'dnf')).toEqual(['diracos-python3.11', 'zlib']);
    expect(await hiddenInBase(layout, 'yum', new Set(['zlib', 'openssl']))).toEqual(['zlib']);
    // Read by dnf with priorities out of play (as yum has none): only ours provides python3-devel.
    const reposdir = join(work, 'repos-provides.d');
    mkdirSync(reposdir, { recursive: true });
    writeFileSync(join(reposdir, REPO_FILES.ours), ourRepoFile([{ id: 'diracos', dir: join(work, 'ours') }]).join('\n').replace('priority=1', 'priority=99'));
    writeFileSync(join(reposdir, REPO_FILES.base), baseRepoFile(withBase(), await hiddenInBase(layout, 'yum')).join('\n'));
    const { stdout } = await nodeExec('dnf', [
      '-q', '--installroot', join(work, 'root'), '--releasever', '7', '--setopt', `cachedir=${join(work, 'cache')}`, '--disableplugin=*', `--setopt=reposdir=${reposdir}`,
      'repoquery', '--qf', '%{name}-%{version} %{repoid}', '--whatprovides', 'python3-devel',
    ]);
    expect(stdout.trim()).toBe('diracos-python3.11-3.11.2 diracos');
  });

  it('the dnf options: ours hidden in the declared base repositories', async () => {
    const ours = [{ id: 'diracos', dir: join(work, 'ours') }];
    expect(await query(dnfRepoArgs(withBase(), FAMILY_RULES.el, ours, ['zlib']).filter((a) => !a.startsWith('--setopt=install')))).toEqual(['bash-4.2 base', 'zlib-1.2.13 diracos']);
    expect(containerRepos('x86_64').map((r) => r.id)).toEqual(['diracos', 'diracos-buildonly']);
  });
});
