/**
 * What DIRACOS v1 relied on, on real RPMs built by the engine (podman, bullseye-build) and the local
 * platform images: a library of an ignored package is left to the host (never grafted, listed in
 * hostLibraries.txt) and test-platforms checks each platform has it; a shipped package requiring a
 * buildOnly one fails the bundle, naming both; versions.txt is inside the tarball too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRpms } from '../../src/build-rpms/index.js';
import { bundleDiracos, type BundleResult } from '../../src/bundle-diracos/index.js';
import type { LoadedManifest } from '../../src/manifest/load.js';
import type { PlatformSpec } from '../../src/manifest/types.js';
import { nodeExec } from '../../src/shared/exec.js';
import { testPlatforms } from '../../src/test-platforms/index.js';
import { fixtureManifest, tempDir, testContext, writeSpecPackages } from './build-rpms-support.js';

const SPECS: Record<string, string> = {
  // The build platform's own liblzma as an RPM of ours that the manifest ignores: the hosts have it.
  'xz-libs': `Name: xz-libs
Version: 5.2.5
Release: 1
Summary: liblzma, left to the hosts
License: Public Domain
%description
An ignored package: its library is the host's.
%install
install -D -m 755 "$(readlink -f /lib/x86_64-linux-gnu/liblzma.so.5)" %{buildroot}%{_libdir}/liblzma.so.5
%files
%{_libdir}/liblzma.so.5
`,
  lzuser: `Name: lzuser
Version: 1.0
Release: 1
Summary: Prints the version of the liblzma it runs with
License: GPL-3.0-only
BuildRequires: gcc
%description
Needs liblzma.so.5.
%prep
%build
cat > lzuser.c <<'EOF'
#include <stdio.h>
const char *lzma_version_string(void);
int main(void) { printf("liblzma %%s\\n", lzma_version_string()); return 0; }
EOF
gcc -O2 -o lzuser lzuser.c -l:liblzma.so.5
%install
install -D -m 755 lzuser %{buildroot}%{_bindir}/lzuser
%files
%{_bindir}/lzuser
`,
};

const IMAGE = (suite: string) => `localhost/diracos-platform:${suite}`;
const SUITES = ['bullseye', 'bookworm', 'trixie'];

describe('v1 parity of the bundle stage, on RPMs built by the engine', () => {
  let dir: string;
  let m: LoadedManifest;
  let ctx: Awaited<ReturnType<typeof testContext>>;
  let bundle: BundleResult;
  let tree: string;

  beforeAll(async () => {
    dir = await tempDir('bundle-v1');
    ctx = await testContext(dir);
    ctx.tools.share(dir);
    const extra = [
      // libgreet only builds hello; hello is kept out of the bundle (nothing shipped requires it)
      '        - { name: libgreet, spec: pkgs/libgreet/libgreet.spec, buildOnly: true }',
      ...(await writeSpecPackages(dir, SPECS)),
      'bundle:',
      '  ignoredPackages: [xz-libs]',
      '  excludedPackages: [hello]',
      // the build platform has liblzma.so.5: it would be grafted, were it not left to the host
      '  graftLibraries: true',
    ].join('\n');
    m = await fixtureManifest(dir, ['hello'], extra);
    await buildRpms(ctx, m);
    bundle = await bundleDiracos(ctx, m, { outDir: join(dir, 'out') });
    tree = join(dir, 'tree');
    await mkdir(tree);
    await nodeExec('tar', ['-xzf', bundle.tarball, '-C', tree]);
    tree = join(tree, 'diracos-0.1-x86_64');
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it("leaves an ignored package's library to the host: not shipped, not grafted, listed in hostLibraries.txt", async () => {
    const names = (await nodeExec('tar', ['-tzf', bundle.tarball])).stdout.split('\n');
    expect(names.filter((n) => n.includes('liblzma'))).toEqual([]);
    expect(names).toContain('diracos-0.1-x86_64/usr/bin/lzuser');
    expect(readFileSync(join(tree, 'hostLibraries.txt'), 'utf8')).toBe('liblzma.so.5 xz-libs\n');
    expect(ctx.reporter.messages('info')).toContain('bundle-diracos: left to the host (bundle.ignoredPackages), listed in hostLibraries.txt: liblzma.so.5 (xz-libs)');
    const summary = ctx.reporter.tables.find((t) => t.title === 'bundle-diracos')!;
    const cell = (column: string) => summary.rows[0]![summary.header.indexOf(column)];
    expect([cell('result'), cell('grafted'), cell('left to host')]).toEqual(['ok', '-', '1']);
  });

  it('puts versions.txt inside the tarball too, beside diracosrc, the same as the published one', () => {
    const inside = readFileSync(join(tree, 'versions.txt'), 'utf8');
    expect(inside).toBe(readFileSync(join(dir, 'out', 'versions.txt'), 'utf8'));
    // neither the ignored package, nor the buildOnly one, nor the excluded one nothing requires
    expect(inside).toBe('lzuser-1.0-1.x86_64\n# pip\n');
    expect(readdirSync(tree).sort()).toEqual(['brokenLinks.txt', 'diracosrc', 'hostLibraries.txt', 'usr', 'versions.txt']);
  });

  it("runs with each platform's own liblzma", async () => {
    for (const suite of SUITES) {
      const script = '. "$1/diracosrc" && lzuser && dpkg-query -W -f "\\${Version}\\n" liblzma5';
      const r = await ctx.runtime.run({ image: IMAGE(suite), command: ['bash', '-c', script, 'run', tree], mounts: [{ source: tree, target: tree, readOnly: true }], network: false });
      const [line, dpkg] = r.stdout.trim().split('\n');
      // 5.2.5-2.1~deb11u1 -> 5.2.5: the host's library, whatever version it is
      expect(line, suite).toBe(`liblzma ${/^(?:\d+:)?([\d.]+)/.exec(dpkg!)![1]}`);
    }
  });

  it('test-platforms: every platform must have it; one without fails naming the library, its package and the platform', async () => {
    const platform = (name: string, extra: Partial<PlatformSpec> = {}): PlatformSpec => ({ name, image: IMAGE(name.split('-')[0]!), family: 'debian', ...extra });
    // bookworm with its liblzma removed: a host that lacks the library
    const without = platform('bookworm-nolzma', { glibc: '2.36', required: false, setup: ['rm -f /lib/x86_64-linux-gnu/liblzma.so.5* /usr/lib/x86_64-linux-gnu/liblzma.so.5*'] });
    const tested = { ...m, manifest: { ...m.manifest, platforms: [...SUITES.map((s) => platform(s)), without], tests: { commands: ['lzuser'] } } };
    const r = await testPlatforms(ctx, tested, { tarball: bundle.tarball, outDir: join(dir, 'tests') });
    const check = (p: string, c: string) => r.platforms.find((x) => x.name === p)!.checks.find((x) => x.check === c)!;
    for (const suite of SUITES) {
      expect(r.platforms.find((p) => p.name === suite)!.ok, suite).toBe(true);
      expect(check(suite, 'host-provided')).toMatchObject({ passed: 1, failed: 0 });
      expect(check(suite, 'host-libraries').failed).toBe(0);
      expect(check(suite, 'ldd').failed).toBe(0);
    }
    expect(check('bookworm-nolzma', 'host-provided').failures).toEqual([
      'liblzma.so.5: left to the host (bundle.ignoredPackages: xz-libs), but bookworm-nolzma does not provide it (ldd: not found, for usr/bin/lzuser)',
    ]);
    // reported once, by the check about it, not again by ldd
    expect(check('bookworm-nolzma', 'ldd').failed).toBe(0);
    expect(r.ok).toBe(true);
  });

  it('a shipped package requiring a buildOnly one fails the bundle naming both; nothing is published', async () => {
    const shipsHello = { ...m, manifest: { ...m.manifest, bundle: { ...m.manifest.bundle, excludedPackages: [] } } };
    const out = join(dir, 'out-buildonly');
    const before = ctx.reporter.tables.length;
    const err = await bundleDiracos(ctx, shipsHello, { outDir: out }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.name).toBe('BuildOnlyRequired');
    expect(err?.message).toContain('  hello-1.0-1.x86_64 requires libgreet.so.1()(64bit), provided only by libgreet-1.0-1.x86_64 of the buildOnly package libgreet\n');
    expect(err?.message).toContain('Drop buildOnly from libgreet to ship it');
    expect(existsSync(out)).toBe(false);
    // the summary says it too, below its table
    const summary = ctx.reporter.tables.slice(before).find((t) => t.title === 'bundle-diracos')!;
    expect(summary.rows[0]![0]).toMatch(/^FAILED in closure/);
    expect(summary.notes).toEqual(['not shipped: hello-1.0-1.x86_64 requires libgreet.so.1()(64bit), provided only by libgreet-1.0-1.x86_64 of the buildOnly package libgreet']);
  });
});
