import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadSource } from '../../src/manifest/types.js';
import { loadManifest } from '../../src/manifest/load.js';
import { MemoryReporter } from '../../src/reporting/reporter.js';
import { nodeExec } from '../../src/shared/exec.js';
import { fetchSource } from '../../src/sources/fetch.js';

// The example specs of CPython's own dependencies (examples/specs), checked with the real rpmspec,
// and the quick ones built for real with rpmbuild from Debian's orig tarballs fetched through apt.

const SPECS = join(import.meta.dirname, '../../examples/specs');
const PATCHES = join(import.meta.dirname, '../../examples/patches');

/** BuildRequires the build platform provides as tools (not our RPMs): rpmbuild runs with --nodeps for them. */
const PLATFORM_TOOLS = new Set(['gcc', 'make', 'perl', 'tcl']);

/** What a library package may require: glibc and the dynamic loader, rpm's own features, and our packages. */
const GLIBC_OR_RPM = /^(lib(c|m|dl|pthread|rt)\.so\.\d+|ld-linux-x86-64\.so\.2|rtld\(|rpmlib\()/;

/** Specs built for real here (seconds each), with the sonames their library package must provide. */
const BUILT: ReadonlyArray<{ spec: string; libPackage: string; sonames: string[] }> = [
  { spec: 'zlib', libPackage: 'zlib', sonames: ['libz.so.1()(64bit)'] },
  { spec: 'bzip2', libPackage: 'bzip2-libs', sonames: ['libbz2.so.1.0()(64bit)'] },
];

/** Each example package's Debian source, as the example manifest pins it (the one place it is written). */
const example = loadManifest(join(SPECS, '../diracos.yaml'));
const libraries = example.packages.filter((p) => p.group === 'python-dependencies');
const sources = Object.fromEntries(libraries.map((p) => [basename(p.spec!, '.spec'), p.sources[0] as DownloadSource & { apt: string }]));
/** Debian's orig tarball name for a source: NAME_UPSTREAM.orig.tar.* (no epoch, no Debian revision). */
const origPrefix = (s: DownloadSource & { apt: string }) => `${s.apt}_${s.version!.replace(/^\d+:/, '').replace(/-[^-]+$/, '')}.orig.tar.`;
const allSpecs = (await readdir(SPECS)).filter((n) => n.endsWith('.spec')).map((n) => basename(n, '.spec')).sort();
/** CPython's dependencies: library specs built from Debian orig tarballs (the other group has a links-only spec). */
const specNames = Object.keys(sources).sort();

async function run(command: string, args: string[]): Promise<string> {
  return (await nodeExec(command, args)).stdout;
}
const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

/** The spec after macro expansion, as rpmbuild would read it. */
const parsed = (name: string, ...extra: string[]) => run('rpmspec', ['-P', ...extra, join(SPECS, `${name}.spec`)]);

/** A section's lines (without blank lines) from a parsed spec. */
function section(text: string, name: string): string[] {
  const m = new RegExp(`^%${name}\\s*$([\\s\\S]*?)(?=^%(?:files|changelog|check|install|build|prep|package|description)\\b|(?![\\s\\S]))`, 'm').exec(text);
  return m ? lines(m[1]) : [];
}

describe('example specs: what rpmspec reads', () => {
  it('the example manifest pins one Debian orig tarball per spec, and each spec builds from exactly that file', async () => {
    expect(example.packages.map((p) => basename(p.spec!, '.spec')).sort()).toEqual(allSpecs);
    expect(specNames.length).toBe(9);
    for (const name of specNames) {
      const text = await parsed(name);
      const source0 = /^Source0:\s*(\S+)/m.exec(text)?.[1];
      expect(source0?.startsWith(origPrefix(sources[name]!)), `${name}: ${source0}`).toBe(true);
      expect(source0, name).toMatch(/^[^_]+_[^_]+\.orig\.tar\.(gz|bz2|xz)$/);
      // Every patch a spec names is shipped beside the specs.
      const patches = [...text.matchAll(/^Patch\d*:\s*(\S+)/gm)].map((m) => m[1]);
      const shipped = await readdir(PATCHES);
      for (const p of patches) expect(shipped, `${name}: ${p}`).toContain(p);
    }
  });

  it('BuildRequires name only platform tools or -devel packages another example spec makes', async () => {
    const made = new Set<string>();
    for (const name of specNames) {
      for (const pkg of lines(await run('rpmspec', ['-q', '--qf', '%{name}\n', join(SPECS, `${name}.spec`)]))) made.add(pkg);
    }
    for (const name of specNames) {
      const wanted = lines(await run('rpmspec', ['-q', '--buildrequires', join(SPECS, `${name}.spec`)])).map((l) => l.split(/\s/)[0]);
      for (const dep of wanted) {
        const ok = PLATFORM_TOOLS.has(dep) || (dep.endsWith('-devel') && made.has(dep));
        expect(ok, `${name}.spec BuildRequires ${dep}`).toBe(true);
      }
    }
    // The one chain among them: readline's terminal handling comes from our ncurses.
    expect(lines(await run('rpmspec', ['-q', '--buildrequires', join(SPECS, 'readline.spec')]))).toContain('ncurses-devel');
  });

  it('every spec has Release 1%{?dist}, a -devel package, and a %check that runs only --with check', async () => {
    for (const name of specNames) {
      const raw = await readFile(join(SPECS, `${name}.spec`), 'utf8');
      expect(raw, name).toMatch(/^Release:\s*1%\{\?dist\}$/m);
      expect(raw, name).toMatch(/%\{\?_smp_mflags\}/);
      const packages = lines(await run('rpmspec', ['-q', '--qf', '%{name}\n', join(SPECS, `${name}.spec`)]));
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
      await copyFile(got.path, join(top, 'SOURCES', got.fileName));
      // --nodeps: the BuildRequires are platform tools (checked above), which the host's rpm db does not list.
      await run('rpmbuild', ['--nodeps', '-bb', '--define', `_topdir ${top}`, join(SPECS, `${spec}.spec`)]);

      const rpms = (await readdir(join(top, 'RPMS', 'x86_64'))).filter((n) => !n.includes('-debug'));
      const expected = lines(await run('rpmspec', ['-q', '--qf', '%{name}-%{version}-%{release}.%{arch}.rpm\n', join(SPECS, `${spec}.spec`)]));
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
