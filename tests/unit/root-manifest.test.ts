/**
 * The real DIRACOS (diracos.yaml at the repository root, issue 12) holds what a DIRACOS v1 release
 * manager expects: built on CC7 from the CentOS vault with mock and the gdb bootstrap group, tested on
 * SLC6 and CC7 (required) and Ubuntu 22.04/24.04 and Fedora (allowed to fail), CPython's libraries and
 * the grid stack, DIRAC's requirements through pip, and no EPEL repository anywhere. What only GitHub
 * can run (EL images, vault, EPEL SRPMs, PyPI) is in README's "Verified on GitHub only"; what Debian
 * has builds in tests/integration/root-manifest.test.ts.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mockConfig } from '../../src/build-rpms/mock-config.js';
import { loadManifest } from '../../src/manifest/load.js';
import type { DownloadSource, PlatformSpec, SourceSpec } from '../../src/manifest/types.js';
import { downloadFileName } from '../../src/sources/fetch.js';

const ROOT = join(import.meta.dirname, '../..');
const FILE = join(ROOT, 'diracos.yaml');
const m = loadManifest(FILE);
const text = readFileSync(FILE, 'utf8');
const example = loadManifest(join(ROOT, 'examples/diracos.yaml'));
const platform = (name: string): PlatformSpec => m.manifest.platforms.find((p) => p.name === name)!;
const pkg = (name: string) => m.packages.find((p) => p.name === name)!;
const downloads = (p: (typeof m.packages)[number]): DownloadSource[] =>
  [p.srpm, ...p.sources, p.tarball, ...(p.rpms ?? [])].filter((s): s is DownloadSource => s !== undefined && !('path' in s));

const VAULT7 = 'https://vault.centos.org/7.9.2009';
const VAULT6 = 'https://vault.centos.org/6.10';
const EPEL7_SRPMS = 'https://archives.fedoraproject.org/pub/archive/epel/7/SRPMS/Packages/';
const EPEL7_MIRROR = 'https://dl.fedoraproject.org/pub/archive/epel/7/SRPMS/Packages/';

describe('the root manifest: platforms', () => {
  it('is valid, and its only warnings are sources not locked yet', () => {
    expect(m.warnings?.length).toBeGreaterThan(0);
    for (const w of m.warnings ?? []) expect(w.message).toMatch(/: not locked: no sha256 yet; run `diracos lock`/);
  });

  it('tests on SLC6 and CC7 (required) and on Ubuntu 22.04, Ubuntu 24.04 and Fedora (allowed to fail), from public images', () => {
    const required = Object.fromEntries(m.manifest.platforms.map((p) => [p.name, p.required ?? true]));
    expect(required).toEqual({ cc7: true, slc6: true, ubuntu2204: false, ubuntu2404: false, fedora: false });
    // Registry names (Docker Hub), a fixed Fedora release: nothing of this machine's localhost images.
    expect(Object.fromEntries(m.manifest.platforms.map((p) => [p.name, p.image]))).toEqual({
      cc7: 'centos:7',
      slc6: 'cern/slc6-base',
      ubuntu2204: 'ubuntu:22.04',
      ubuntu2404: 'ubuntu:24.04',
      fedora: 'fedora:42',
    });
    expect(Object.fromEntries(m.manifest.platforms.map((p) => [p.name, p.family]))).toEqual({ cc7: 'el', slc6: 'el', ubuntu2204: 'debian', ubuntu2404: 'debian', fedora: 'fedora' });
  });

  it('gives each allowed-to-fail platform the setup it needs: CA certificates on Ubuntu, the compat libraries on Fedora', () => {
    for (const name of ['ubuntu2204', 'ubuntu2404']) expect(platform(name).setup).toEqual([expect.stringMatching(/apt-get install .*\bca-certificates\b/)]);
    expect(platform('fedora').setup).toEqual(['dnf -y install libnsl libxcrypt-compat']);
    expect(platform('fedora').knownMissing).toEqual(['libnsl.so.1', 'libcrypt.so.1']);
  });

  it("builds on CC7 from the CentOS vault's base, updates and extras, with mock", () => {
    expect(m.manifest.build.backend).toBe('mock');
    expect(m.buildPlatform.name).toBe('cc7');
    expect(platform('cc7').baseRepos).toEqual([
      { name: 'base', baseurl: `${VAULT7}/os/x86_64/` },
      { name: 'updates', baseurl: `${VAULT7}/updates/x86_64/` },
      { name: 'extras', baseurl: `${VAULT7}/extras/x86_64/` },
    ]);
    expect(platform('cc7').mock).toMatchObject({ releasever: '7', distTag: '.el7' });
    expect(platform('slc6').baseRepos!.map((r) => r.baseurl)).toEqual(['os', 'updates', 'extras'].map((r) => `${VAULT6}/${r}/x86_64/`));
    // The glibc ceilings of the platforms' releases.
    expect([platform('cc7').glibc, platform('slc6').glibc]).toEqual(['2.17', '2.12']);
  });

  it('has the mock tool in its build image: installed in one step that removes the repository file it used', () => {
    const [mock] = platform('cc7').setup!;
    expect(mock).toMatch(/^printf '\[mock-tool\]\\n.*enabled=0\\n.*' > \/etc\/yum\.repos\.d\/mock-tool\.repo && yum -y --enablerepo=mock-tool install mock && rm -f \/etc\/yum\.repos\.d\/mock-tool\.repo$/);
  });
});

describe('the root manifest: packages', () => {
  it('builds gdb without Python first (bootstrap, build-only), puts it in every build root, then drops the root cache', () => {
    const gdb = pkg('gdb');
    expect(gdb).toMatchObject({ group: 'bootstrap', bootstrap: true, buildOnly: true, kind: 'srpm', without: ['python'] });
    expect((gdb.srpm as DownloadSource).url![0]).toMatch(new RegExp(`^${VAULT7}/os/Source/SPackages/gdb-[^/]+\\.el7\\.src\\.rpm$`));
    expect(m.packages.filter((p) => p.bootstrap).map((p) => p.name)).toEqual(['gdb']);
    expect(platform('cc7').mock!.chrootSetup).toContain('gdb');
    expect(gdb.postSteps).toEqual([expect.stringContaining('mock -r "$DIRACOS_MOCK_CONFIG" --scrub=root-cache')]);
  });

  it("rebuilds CPython's libraries and the grid stack: XML with Python 3 bindings, curl, Globus GSI, VOMS, davix, gfal2, XRootD", () => {
    const names = m.packages.map((p) => p.name);
    for (const name of [
      'zlib', 'bzip2', 'xz', 'libffi', 'openssl', 'sqlite', 'ncurses', 'readline',
      'libxml2', 'libxslt', 'curl',
      'globus-common', 'globus-gsi-credential', 'globus-gssapi-gsi', 'globus-gss-assist', 'globus-ftp-client', 'globus-gass-copy', 'globus-proxy-utils', 'myproxy',
      'voms', 'davix', 'gfal2', 'gfal2-python', 'gfal2-util', 'xrootd',
    ]) {
      expect(names, name).toContain(name);
    }
    for (const [name, module] of [['libxml2', 'python3-libxml2'], ['libxslt', 'python3-libxslt']]) {
      expect(readFileSync(pkg(name).spec!, 'utf8'), name).toMatch(new RegExp(`^%package -n ${module}$`, 'm'));
    }
    expect(pkg('voms').pkgList).toEqual(['voms', 'voms-clients-cpp', 'voms-devel']);
    expect(pkg('xrootd').pkgList).toContain('python3-xrootd');
  });

  it('lists what it does not carry over from v1 with a reason, and ships DIRAC\'s requirements through pip, Python 3 only', () => {
    for (const gone of ['PyQt4', 'python 2.7', 'nordugrid-arc', 'glite-ce-', 'singularity', 'mysql-community', 'condor']) {
      expect(text, gone).toMatch(new RegExp(`^#   - .*${gone.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*`, 'm'));
    }
    const pip = m.manifest.bundle!.pip!;
    expect(pip.requirementsFile).toBe('python-requirements.txt');
    const reqs = readFileSync(join(m.dir, pip.requirementsFile!), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    expect(reqs).toEqual(expect.arrayContaining(['M2Crypto>=0.36', 'diraccfg', 'requests>=2.9.1', 'fts3']));
    for (const py2 of ['futures', 'subprocess32', 'selectors2', 'typing==3.6.6', 'backports.lzma', 'MySQL-python>=1.2.5']) expect(reqs, py2).not.toContain(py2);
    expect(reqs.some((r) => r.includes('pyGSI'))).toBe(false);
  });
});

describe('the root manifest: sources', () => {
  it('takes source RPMs only from the CentOS 7 vault and the EPEL 7 archive (with its mirror), never locked here', () => {
    const srpms = m.packages.filter((p) => p.kind === 'srpm');
    expect(srpms.length).toBeGreaterThan(30);
    for (const p of srpms) {
      const s = p.srpm as DownloadSource;
      expect(s.sha256, p.name).toBeUndefined();
      expect(s.apt, p.name).toBeUndefined();
      const [first, ...mirrors] = s.url!;
      const file = basename(first!);
      expect(file, p.name).toMatch(/\.el7\.src\.rpm$/);
      if (first!.startsWith(VAULT7)) {
        expect(first, p.name).toMatch(new RegExp(`^${VAULT7}/(os|updates)/Source/SPackages/[^/]+$`));
        expect(mirrors, p.name).toEqual([]);
      } else {
        // the archive files each package under the first letter of its file name
        expect(first, p.name).toBe(`${EPEL7_SRPMS}${file[0]!.toLowerCase()}/${file}`);
        expect(mirrors, p.name).toEqual([first!.replace(EPEL7_SRPMS, EPEL7_MIRROR)]);
      }
    }
  });

  it('gives an apt alternative only beside an upstream url and a sha256, stored under the upstream file name', () => {
    const sources: Array<{ name: string; s: DownloadSource }> = [
      { name: 'python', s: m.manifest.python.source as DownloadSource },
      ...m.packages.flatMap((p) => downloads(p).map((s) => ({ name: p.name, s }))),
    ];
    const withApt = sources.filter(({ s }) => s.apt);
    expect(withApt.map(({ name }) => name).sort()).toEqual(['bzip2', 'curl', 'libffi', 'libxslt', 'ncurses', 'openssl', 'python', 'readline', 'xz']);
    for (const { name, s } of withApt) {
      expect(s.url?.length, name).toBeGreaterThan(0);
      expect(s.sha256, name).toMatch(/^[0-9a-f]{64}$/);
      expect(s.version, name).toMatch(/^[0-9][^\s]*-[^\s-]+$/);
      expect(s.fileName, name).toBeUndefined();
      // upstream's name: never a Debian orig tarball's
      expect(downloadFileName(s), name).not.toMatch(/_.*\.orig\./);
    }
    // Debian's repacks are not the same bytes: url only (locked through a pin of that url where one is known)
    for (const name of ['zlib', 'libxml2', 'sqlite']) expect(pkg(name).sources.map((s) => (s as DownloadSource).apt), name).toEqual([undefined]);
  });

  it("pins the same bytes the example builds from wherever both name a package's source: the example's cached packages serve the tests", () => {
    const first = (s: SourceSpec | undefined) => s as DownloadSource;
    expect(first(example.manifest.python.source).sha256).toBe(first(m.manifest.python.source).sha256);
    expect(first(example.manifest.python.source).fileName).toBe(downloadFileName(first(m.manifest.python.source)));
    let shared = 0;
    for (const p of m.packages.filter((q) => q.kind === 'spec')) {
      const e = example.packages.find((q) => q.name === p.name);
      if (!e) continue;
      shared++;
      expect(e.spec, p.name).toBe(p.spec);
      expect(e.patches, p.name).toEqual(p.patches);
      const root = first(p.sources[0]);
      if (root.apt) expect(first(e.sources[0]).sha256, p.name).toBe(root.sha256);
    }
    expect(shared).toBe(8);
  });
});

describe('the root manifest: no EPEL repository anywhere', () => {
  it('names EPEL only for source RPMs to rebuild and for the mock tool of the build host', () => {
    const lines = text.split('\n').filter((l) => /epel/i.test(l) && !l.trimStart().startsWith('#'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const what = line.includes('/SRPMS/') ? 'srpm' : line.includes('mock-tool') ? 'mock tool' : 'other';
      expect(what, line).not.toBe('other');
    }
    for (const p of m.manifest.platforms) {
      for (const r of p.baseRepos ?? []) expect(r.baseurl, p.name).not.toMatch(/epel/i);
      for (const c of p.mock?.chrootSetup ?? []) expect(c, p.name).not.toMatch(/^epel/i);
    }
  });

  it("keeps EPEL out of mock's configuration for the EL platforms", () => {
    for (const name of ['cc7', 'slc6']) {
      const config = mockConfig(platform(name), { repoDir: '/r', buildOnlyDir: '/b', ourPackages: ['zlib'], sourceDateEpoch: 946684800, arch: 'x86_64', cores: 2 });
      expect(config, name).not.toMatch(/epel/i);
      expect(config, name).toContain(name === 'cc7' ? VAULT7 : VAULT6);
    }
  });
});
