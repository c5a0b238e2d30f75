/** `diracos import-v1` on DIRACOS v1's own configuration (tests/fixtures/diracos-v1, see its PROVENANCE.md). */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { main } from '../../src/cli/main.js';
import { importV1, patchTargets, type V1Import } from '../../src/import-v1/convert.js';
import { loadManifest } from '../../src/manifest/load.js';
import { validateManifestText } from '../../src/manifest/validate.js';

const V1 = join(import.meta.dirname, '../fixtures/diracos-v1');
const CONFIG = join(V1, 'config/diracos.json');

interface V1Config {
  rpmBuild: { packageGroups: Array<{ name: string; packages: Array<{ name: string; src: string }> }> };
}

let dir: string;
let r: V1Import;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'import-v1-'));
  r = importV1(CONFIG);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const names = (m: V1Import['manifest']) => m.build.packageGroups.flatMap((g) => g.packages.map((p) => p.name));
const pkg = (name: string) => r.manifest.build.packageGroups.flatMap((g) => g.packages).find((p) => p.name === name);
const unplaced = (what: RegExp) => r.unplaced.filter((u) => what.test(u.what));

describe('diracos import-v1 on v1\'s own configuration', () => {
  it('writes a manifest that validates once v1\'s spec patches are beside it: the only warnings are the sources not locked yet', () => {
    const file = join(dir, 'diracos.yaml');
    writeFileSync(file, r.yaml);
    cpSync(join(V1, 'patches'), join(dir, 'patches'), { recursive: true });
    const { manifest, problems, warnings } = validateManifestText(r.yaml, file);
    expect(problems).toEqual([]);
    // The YAML (with its comments) says what the conversion built.
    expect(manifest).toEqual(r.manifest);
    const urls = r.manifest.build.packageGroups.flatMap((g) => g.packages).flatMap((p) => [p.srpm, p.tarball, ...(p.rpms ?? [])]).filter((s) => s && 'url' in s);
    expect(warnings).toHaveLength(urls.length);
    for (const w of warnings) expect(w.message).toMatch(/: not locked: no sha256 yet; run `diracos lock`/);
    expect(loadManifest(file).packages).toHaveLength(117);
  });

  it('places every v1 package, or lists it with the reason: Python 2, dist-git sources, a repeated entry', () => {
    const v1 = JSON.parse(readFileSync(CONFIG, 'utf8')) as V1Config;
    const all = v1.rpmBuild.packageGroups.flatMap((g) => g.packages.map((p) => ({ group: g.name, ...p })));
    expect(all).toHaveLength(122);
    const placed = new Set(names(r.manifest));
    const missing = all.filter((p) => !placed.has(p.name) && unplaced(new RegExp(`^package ${p.group}/${p.name.replace(/[+]/g, '\\+')}\\b`)).length === 0);
    expect(missing).toEqual([]);
    expect(r.manifest.build.packageGroups.map((g) => g.name)).toEqual(v1.rpmBuild.packageGroups.map((g) => g.name));
    expect(unplaced(/^package bootstrap\/python(-i386)?$/).map((u) => u.reason)).toEqual([
      'Python 2: the Python 2.7 interpreter: DIRAC runs on Python 3, our CPython is `python:`',
      'Python 2: the 32-bit Python 2.7 interpreter: DIRAC runs on Python 3, our CPython is `python:`',
    ]);
    expect(unplaced(/^package bootstrap\/gdb /)[0]!.reason).toMatch(/Fedora dist-git source .* give its SRPM \(e\.g\. from Koji\) as srpm/);
    expect(unplaced(/^package cream\/glite-jobid-api-cpp, listed a second time/)).toHaveLength(1);
    // Two SRPMs under one name: both kept, the second renamed after its version.
    expect(pkg('globus-openssl-module-4.8')?.srpm).toEqual({ url: [expect.stringContaining('globus-openssl-module-4.8-1.el6+gt6.src.rpm')] });
    expect(pkg('globus-openssl-module')?.srpm).toEqual({ url: [expect.stringContaining('globus-openssl-module-4.6-2')] });
  });

  it('maps the options: SRPMs and prebuilt RPMs, spec patches, buildOnly, pkgList, regexes made globs', () => {
    expect(pkg('boost')).toEqual({
      name: 'boost',
      srpm: { url: ['https://diracos.web.cern.ch/diracos/SRPM/boost-1.41.0-28.el6.src.rpm'] },
      specPatches: ['patches/boost.patch'],
    });
    expect(pkg('golang-old')).toEqual({ name: 'golang-old', rpms: [{ url: ['https://diracos.web.cern.ch/diracos/SRPM/golang-1.5.1-0.sdl6.x86_64.rpm'] }], buildOnly: true });
    expect(pkg('git')?.pkgList).toEqual(['git-core']);
    expect(pkg('gfal2')?.excludePatterns).toEqual(['*-doc-*', '*-debuginfo-*', '*-tests-*']);
    expect(pkg('globus-common')?.excludePatterns).toEqual([]);
    expect(r.manifest.build.excludePatterns).toEqual(['*-doc-*', '*-debuginfo-*']);
    expect(r.specPatches).toHaveLength(23);
    // A prebuilt RPM has no spec to patch; patches of packages that have no place are listed too.
    expect(unplaced(/^patches\//).map((u) => u.what).sort()).toEqual([
      'patches/boost.patch.fedpkg',
      'patches/gdb.patch',
      'patches/glite-ce-cream-cli.patch',
      'patches/golang-old.patch',
      'patches/python-setuptools.patch.fed',
      'patches/python-virtualenv.patch',
      'patches/python.patch',
      'patches/xrootd.patch',
    ]);
    expect(unplaced(/^patches\/xrootd\.patch$/)[0]!.reason).toMatch(/also edits xrootd\/bindings\/python\/setup\.py\.in, inside the SRPM's tarball/);
    expect(patchTargets(join(V1, 'patches/singularity.patch'))).toEqual([
      { path: '0001-Make-runtime-relocatable.patch', created: true },
      { path: 'singularity.spec', created: false },
    ]);
  });

  it('the build platform is v1\'s mock configuration without EPEL, built with mock', () => {
    expect(r.manifest.build).toMatchObject({ backend: 'mock', platform: 'el6' });
    const [el6] = r.manifest.platforms;
    expect(el6).toMatchObject({
      name: 'el6',
      family: 'el',
      baseRepos: [
        { name: 'base', baseurl: 'https://vault.centos.org/6.10/os/x86_64/' },
        { name: 'updates', baseurl: 'https://vault.centos.org/6.10/updates/x86_64/' },
      ],
    });
    expect(el6!.mock?.releasever).toBe('6');
    expect(el6!.mock?.chrootSetup).toContain('rpm-build');
    expect(el6!.mock?.chrootSetup?.filter((p) => /epel/.test(p))).toEqual([]);
    expect(unplaced(/chroot_setup_cmd epel-release$/)).toHaveLength(1);
    expect(unplaced(/repository local-py2\.7/)[0]!.reason).toMatch(/ours \(repository:\) is always the first repository/);
  });

  it('bundle: ignored and manual packages, removed folders relative, pip requirements for Python 3', () => {
    const bundle = r.manifest.bundle!;
    expect(bundle.ignoredPackages).toHaveLength(12); // chkconfig was listed twice
    expect(bundle.manualDependencies).toEqual(['nss-softokn', 'nss-softokn-freebl', 'nss-sysinit']);
    expect(bundle.removedFolders).toEqual(['usr/share/doc', 'usr/share/man']);
    const reqs = bundle.pip!.requirements!;
    expect(reqs).toContain('git+https://github.com/DIRACGrid/pyGSI.git#egg=GSI');
    expect(reqs).toContain('matplotlib>=2.1.0');
    expect(reqs).toContain('M2Crypto==0.36');
    for (const gone of ['futures', 'subprocess32', 'MySQL-python>=1.2.5', 'typing==3.6.6']) expect(reqs).not.toContain(gone);
    expect(unplaced(/^requirements\.txt: MySQL-python/)[0]!.reason).toBe('Python 2: Python 2 only (its Python 3 successor is mysqlclient)');
    expect(r.manifest.python.version).toMatch(/^3\./);
  });

  it('keeps v1\'s comments and puts the list of what has no place, and the Python 3 note, at the top', () => {
    const doc = parseDocument(r.yaml);
    const header = doc.commentBefore ?? '';
    expect(header).toContain("DIRAC's current releases run on Python 3");
    expect(header).toContain(`What of v1's configuration has no place here (${r.unplaced.length}):`);
    for (const u of r.unplaced) expect(header).toContain(`- ${u.what}: ${u.reason}`);
    expect(r.yaml).toMatch(/# Needs to be recompiled because of boost-python\n\s+- name: boost\n/);
    expect(r.yaml).toMatch(/# v1 \(regexes\): \.\*-doc-\.\* \.\*-debuginfo-\.\* \.\*-tests-\.\*\n\s+- name: gfal2\n/);
    expect(r.yaml).toMatch(/# v1 pinned <3\.0, the last matplotlib for Python 2 \(matplotlib>=2\.1\.0,<3\.0\)\n\s+- matplotlib>=2\.1\.0\n/);
  });
});

describe('diracos import-v1 on the command line', () => {
  function sink(): PassThrough & { text: () => string } {
    const s = new PassThrough() as PassThrough & { text: () => string };
    const chunks: string[] = [];
    s.on('data', (c: Buffer) => chunks.push(c.toString()));
    s.text = () => chunks.join('');
    return s;
  }
  async function cli(...argv: string[]) {
    const out = sink();
    const err = sink();
    const code = await main(argv, { out: out as unknown as typeof process.stdout, err: err as unknown as typeof process.stderr });
    return { code, out: out.text(), err: err.text() };
  }

  it('writes the manifest, and only it, to stdout without -o', async () => {
    const got = await cli('import-v1', CONFIG);
    expect(got).toEqual({ code: 0, out: r.yaml, err: '' });
  });

  it('writes it to the -o file and says what to do next', async () => {
    const file = join(dir, 'out.yaml');
    const got = await cli('import-v1', CONFIG, '-o', file);
    expect(got.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(r.yaml);
    expect(got.out).toContain(`${file}: 117 package(s) in 12 group(s)`);
    expect(got.out).toContain(`copy ${join(V1, 'patches')} beside it`);
  });

  it('needs exactly one CONFIG, and a readable one', async () => {
    expect(await cli('import-v1')).toMatchObject({ code: 1, err: "diracos import-v1: CONFIG: an argument is required (DIRACOS v1's configuration, e.g. config/diracos.json) (see diracos import-v1 --help)\n" });
    expect(await cli('import-v1', CONFIG, 'other.json')).toMatchObject({ code: 1, err: "diracos import-v1: unexpected argument 'other.json' (see diracos import-v1 --help)\n" });
    const missing = await cli('import-v1', join(dir, 'none.json'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/none\.json: cannot read the DIRACOS v1 configuration: ENOENT/);
  });
});
