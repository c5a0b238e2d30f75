import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadSource } from '../../src/manifest/types.js';
import { loadManifest } from '../../src/manifest/load.js';
import { MemoryReporter } from '../../src/reporting/reporter.js';
import { nodeExec } from '../../src/shared/exec.js';
import { downloadFileName, fetchSource } from '../../src/sources/fetch.js';

// The specs of CPython's own dependencies the example builds (the root specs/ it shares with the real
// DIRACOS, and its own libuuid), checked with the real rpmspec, and the quick ones built for real with
// rpmbuild from Debian's orig tarballs fetched through apt.

const ROOT = join(import.meta.dirname, '../..');

/** BuildRequires the build platform provides as tools (not our RPMs): rpmbuild runs with --nodeps for them. */
const PLATFORM_TOOLS = new Set(['gcc', 'make', 'perl', 'tcl']);

/** What a library package may require: glibc and the dynamic loader, rpm's own features, and our packages. */
const GLIBC_OR_RPM = /^(lib(c|m|dl|pthread|rt)\.so\.\d+|ld-linux-x86-64\.so\.2|rtld\(|rpmlib\()/;

/** Specs built for real here (seconds each), with the sonames their library package must provide. */
const BUILT: ReadonlyArray<{ spec: string; libPackage: string; sonames: string[] }> = [
  { spec: 'zlib', libPackage: 'zlib', sonames: ['libz.so.1()(64bit)'] },
  // EL's and Fedora's soname (the root specs build for CC7 too)
  { spec: 'bzip2', libPackage: 'bzip2-libs', sonames: ['libbz2.so.1()(64bit)'] },
];

/** Each example package's Debian source, as the example manifest pins it (the one place it is written). */
const example = loadManifest(join(ROOT, 'examples/diracos.yaml'));
/** The real DIRACOS, whose specs and upstream file names the example shares. */
const real = loadManifest(join(ROOT, 'diracos.yaml'));
const libraries = example.packages.filter((p) => p.group === 'python-dependencies');
const specPath = Object.fromEntries(libraries.map((p) => [basename(p.spec!, '.spec'), p.spec!]));
const sources = Object.fromEntries(libraries.map((p) => [basename(p.spec!, '.spec'), p.sources[0] as DownloadSource & { apt: string }]));
/** Debian's orig tarball name for a source: NAME_UPSTREAM.orig.tar.* (no epoch, no Debian revision). */
const origPrefix = (s: DownloadSource & { apt: string }) => `${s.apt}_${s.version!.replace(/^\d+:/, '').replace(/-[^-]+$/, '')}.orig.tar.`;
/** CPython's dependencies: library specs built from Debian orig tarballs (the other group has a links-only spec). */
const specNames = Object.keys(sources).sort();
/** Debian ships a repack of upstream's tree, not upstream's bytes: the spec's prep unpacks either. */
const REPACKED = ['sqlite', 'zlib'];

async function run(command: string, args: string[]): Promise<string> {
  return (await nodeExec(command, args)).stdout;
}
const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

/** The spec after macro expansion, as rpmbuild would read it. */
const parsed = (name: string, ...extra: string[]) => run('rpmspec', ['-P', ...extra, specPath[name]!]);

/** A section's lines (without blank lines) from a parsed spec. */
function section(text: string, name: string): string[] {
  const m = new RegExp(`^%${name}\\s*$([\\s\\S]*?)(?=^%(?:files|changelog|check|install|build|prep|package|description)\\b|(?![\\s\\S]))`, 'm').exec(text);
  return m ? lines(m[1]) : [];
}

describe('example specs: what rpmspec reads', () => {
  it("each spec names upstream's file, which the example's Debian orig tarball is (same sha256) or repacks", async () => {
    expect(specNames).toEqual(['bzip2', 'libffi', 'libuuid', 'ncurses', 'openssl', 'readline', 'sqlite', 'xz', 'zlib']);
    for (const name of specNames) {
      const text = await parsed(name);
      const source0 = /^Source0:\s*(\S+)/m.exec(text)?.[1];
      const shared = real.packages.find((p) => p.spec === specPath[name]);
      if (shared) {
        // the root specs: Source0 is the real DIRACOS's upstream file, wherever Debian's bytes come from
        expect(dirname(specPath[name]!)).toBe(join(ROOT, 'specs'));
        const upstream = shared.sources[0] as DownloadSource;
        expect(basename(source0!), name).toBe(downloadFileName(upstream));
        if (REPACKED.includes(name)) expect(upstream.apt, name).toBeUndefined();
        else expect([upstream.apt, upstream.sha256], name).toEqual([sources[name]!.apt, sources[name]!.sha256]);
      } else {
        // the example's own spec (the real DIRACOS takes CC7's libuuid): Debian's file name
        expect(source0?.startsWith(origPrefix(sources[name]!)), `${name}: ${source0}`).toBe(true);
      }
      // Every patch a spec names is shipped beside the specs it shares.
      const patches = [...text.matchAll(/^Patch\d*:\s*(\S+)/gm)].map((m) => m[1]);
      const shipped = await readdir(join(ROOT, 'patches'));
      for (const p of patches) expect(shipped, `${name}: ${p}`).toContain(p);
    }
  });

  it("on EL (rhel defined), the libraries whose soname differs from CC7's take names of their own; -devel answers the usual name", async () => {
    const el = async (name: string, ...q: string[]) => lines(await run('rpmspec', ['-q', '--define', 'rhel 7', ...q, specPath[name]!]));
    const renamed: Record<string, [string, string]> = { openssl: ['openssl3', '1:'], libffi: ['libffi8', ''], ncurses: ['ncurses6', ''], readline: ['readline8', ''] };
    for (const [name, [elName, epoch]] of Object.entries(renamed)) {
      expect((await el(name, '--qf', '%{name}\n'))[0], name).toBe(elName);
      expect(await el(name, '--provides'), name).toContain(`${name}-devel = ${epoch}${/^Version:\s*(\S+)/m.exec(await parsed(name))![1]}-1`);
      // elsewhere the usual names, which the example's tests and CPython's spec expect
      expect(lines(await run('rpmspec', ['-q', '--qf', '%{name}\n', specPath[name]!]))[0], name).toBe(name);
    }
    // the same soname as CC7's: same names, so they replace CC7's in the build roots
    for (const name of ['zlib', 'bzip2', 'xz', 'sqlite']) expect((await el(name, '--qf', '%{name}\n'))[0], name).toBe(name);
    // OpenSSL's configuration files belong to CC7's openssl-libs in every EL build root
    expect(await parsed('openssl', '--define', 'rhel 7')).not.toMatch(/^%config.*openssl\.cnf$/m);
  });

  it('BuildRequires name only platform tools or -devel packages another example spec makes', async () => {
    const made = new Set<string>();
    for (const name of specNames) {
      for (const pkg of lines(await run('rpmspec', ['-q', '--qf', '%{name}\n', specPath[name]!]))) made.add(pkg);
    }
    for (const name of specNames) {
      const wanted = lines(await run('rpmspec', ['-q', '--buildrequires', specPath[name]!])).map((l) => l.split(/\s/)[0]);
      for (const dep of wanted) {
        const ok = PLATFORM_TOOLS.has(dep) || (dep.endsWith('-devel') && made.has(dep));
        expect(ok, `${name}.spec BuildRequires ${dep}`).toBe(true);
      }
    }
    // The one chain among them: readline's terminal handling comes from our ncurses.
    expect(lines(await run('rpmspec', ['-q', '--buildrequires', specPath.readline!]))).toContain('ncurses-devel');
  });

  it('every spec has Release 1%{?dist}, a -devel package, and a %check that runs only --with check', async () => {
    for (const name of specNames) {
      const raw = await readFile(specPath[name]!, 'utf8');
      expect(raw, name).toMatch(/^Release:\s*1%\{\?dist\}$/m);
      expect(raw, name).toMatch(/%\{\?_smp_mflags\}/);
      const packages = lines(await run('rpmspec', ['-q', '--qf', '%{name}\n', specPath[name]!]));
      expect(packages.some((p) => p.endsWith('-devel')), name).toBe(true);
      expect(section(await parsed(name), 'check').filter((l) => !l.startsWith('#')), `${name}: %check by default`).toEqual([]);
      expect(section(await parsed(name, '--with', 'check'), 'check').length, `${name}: %check --with check`).toBeGreaterThan(0);
    }
  });
});

describe('example specs: real rpmbuild from the Debian orig tarballs', () => {
  let dir: string;
  const reporter = new MemoryReporter();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'example-specs-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  for (const { spec, libPackage, sonames } of BUILT) {
    it(`${spec}: builds its RPMs; the library provides its soname and needs only glibc`, async () => {
      const top = join(dir, spec);
      await mkdir(join(top, 'SOURCES'), { recursive: true });
      const got = await fetchSource({ exec: nodeExec, reporter, downloadCache: join(dir, 'downloads') }, sources[spec]!);
      // under the name the spec's Source0 gives (upstream's), as the engine places it
      const source0 = basename(/^Source0:\s*(\S+)/m.exec(await parsed(spec))![1]!);
      await copyFile(got.path, join(top, 'SOURCES', source0));
      // --nodeps: the BuildRequires are platform tools (checked above), which the host's rpm db does not list.
      await run('rpmbuild', ['--nodeps', '-bb', '--define', `_topdir ${top}`, specPath[spec]!]);

      const rpms = (await readdir(join(top, 'RPMS', 'x86_64'))).filter((n) => !n.includes('-debug'));
      const expected = lines(await run('rpmspec', ['-q', '--qf', '%{name}-%{version}-%{release}.%{arch}.rpm\n', specPath[spec]!]));
      expect(rpms.sort()).toEqual(expected.sort());

      const lib = join(top, 'RPMS', 'x86_64', rpms.find((n) => n.startsWith(`${libPackage}-`) && !n.includes('-devel'))!);
      const provides = lines(await run('rpm', ['-qp', '--provides', lib]));
      for (const soname of sonames) expect(provides).toContain(soname);
      const foreign = lines(await run('rpm', ['-qp', '--requires', lib])).filter((r) => !GLIBC_OR_RPM.test(r));
      expect(foreign).toEqual([]);

      // Shared libraries only: no static archive in any package.
      for (const rpm of rpms) {
        const files = lines(await run('rpm', ['-qlp', join(top, 'RPMS', 'x86_64', rpm)]));
        expect(files.filter((f) => f.endsWith('.a')), rpm).toEqual([]);
      }
    });
  }
});
