// What DIRACOS v1 relied on and the bundle and test stages now keep: libraries left to the host, buildOnly
// requirements named, knownBrokenLinks, extensions from the command line. The pure parts; the
// integration tests run them on real RPMs and containers.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildOnlyRequired, parseNeededBy } from '../../src/bundle-diracos/build-only.js';
import { ignoredProvidesOf } from '../../src/bundle-diracos/closure.js';
import { distributionKey, installedDistributions } from '../../src/bundle-diracos/extension.js';
import { main } from '../../src/cli/main.js';
import { knownLinkPath } from '../../src/manifest/paths.js';
import { parseHostLibrariesFile, renderHostLibrariesFile } from '../../src/rules/host-libraries.js';
import { checkBrokenLinks } from '../../src/test-platforms/static-checks.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'v1-parity-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('libraries left to the host', () => {
  it("reads the ignored packages' provides and sonames from dnf repoquery --qf '%{name}\\t%{provides}'", () => {
    // as dnf 4.14 prints it: the first capability beside the name, the others on lines of their own
    const text = 'xz-libs\tliblzma.so.5()(64bit)\nliblzma.so.5(XZ_5.0)(64bit)\nxz-libs = 5.4.1-1\nxz-libs(x86-64) = 5.4.1-1\nperl\tperl = 4:5.16.3\nlibperl.so()(64bit)\n';
    const { provides, libraries } = ignoredProvidesOf(text);
    expect(provides).toEqual(['liblzma.so.5()(64bit)', 'liblzma.so.5(XZ_5.0)(64bit)', 'xz-libs = 5.4.1-1', 'xz-libs(x86-64) = 5.4.1-1', 'perl = 4:5.16.3', 'libperl.so()(64bit)']);
    expect([...libraries]).toEqual([['liblzma.so.5', 'xz-libs'], ['libperl.so', 'perl']]);
    expect(ignoredProvidesOf('')).toEqual({ provides: [], libraries: new Map() });
  });

  it('hostLibraries.txt: one sorted `<soname> <package>` line each, read back the same', () => {
    const libs = [{ soname: 'libz.so.1', package: 'zlib' }, { soname: 'liblzma.so.5', package: 'xz-libs' }];
    const text = renderHostLibrariesFile(libs);
    expect(text).toBe('liblzma.so.5 xz-libs\nlibz.so.1 zlib\n');
    expect(parseHostLibrariesFile(`# a comment\n\n${text}`)).toEqual([libs[1], libs[0]]);
    expect(renderHostLibrariesFile([])).toBe('');
  });
});

describe('buildOnly requirements', () => {
  it("reads rpm -e --test's failed dependencies", () => {
    const text = 'error: Failed dependencies:\n\tlibgreet.so.1()(64bit) is needed by (installed) hello-1.0-1.x86_64\n\tlibgreet = 1.0 is needed by (installed) other-2-1.noarch\n';
    expect(parseNeededBy(text)).toEqual([
      { capability: 'libgreet.so.1()(64bit)', shipped: 'hello-1.0-1.x86_64' },
      { capability: 'libgreet = 1.0', shipped: 'other-2-1.noarch' },
    ]);
  });

  it('names each shipped package, what it requires, the buildOnly package, and the ways out', () => {
    const e = new BuildOnlyRequired([{ shipped: 'hello-1.0-1.x86_64', capability: 'libgreet.so.1()(64bit)', provider: 'libgreet-1.0-1.x86_64', package: 'libgreet' }], '/m/diracos.yaml');
    expect(e.message).toBe(
      [
        'bundle-diracos: shipped packages require buildOnly packages, which are never bundled:',
        '  hello-1.0-1.x86_64 requires libgreet.so.1()(64bit), provided only by libgreet-1.0-1.x86_64 of the buildOnly package libgreet',
        'Drop buildOnly from libgreet to ship it, list it in bundle.ignoredPackages when every host has it, or keep hello out of the bundle (bundle.excludedPackages, when no shipped package requires it).',
      ].join('\n'),
    );
    expect(e.location).toEqual({ file: '/m/diracos.yaml' });
  });
});

describe('knownBrokenLinks against brokenLinks.txt', () => {
  it('takes a path inside the bundle or a line of brokenLinks.txt, nothing outside', () => {
    expect(knownLinkPath('usr/lib/x')).toBe('usr/lib/x');
    expect(knownLinkPath('/usr/lib/x/')).toBe('usr/lib/x');
    expect(knownLinkPath('usr/share/a -> /opt/nowhere')).toBe('usr/share/a');
    for (const bad of ['', '/', '.', '..', '../x', 'usr/../../x']) expect(knownLinkPath(bad)).toBeUndefined();
  });

  it('a broken link not known fails, a known one passes, a known one no longer broken is a warning', () => {
    const root = join(dir, 'bundle');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'brokenLinks.txt'), 'usr/share/a -> /opt/a\nusr/share/new -> /opt/new\n');
    const r = checkBrokenLinks(root, ['usr/share/a', '/usr/share/fixed -> /opt/fixed']);
    expect(r.check).toBe('broken-links');
    expect(r.passed).toBe(1);
    expect(r.failures).toEqual([{ item: 'usr/share/new', message: 'removed by the bundle stage (brokenLinks.txt: usr/share/new -> /opt/new) and not in tests.knownBrokenLinks' }]);
    expect(r.warnings).toEqual(['usr/share/fixed is in tests.knownBrokenLinks but no longer broken (not in brokenLinks.txt): remove it from the list']);
  });
});

describe('extensions', () => {
  it('compares distributions as pip does (names normalised, versions exact)', () => {
    expect(distributionKey('Diracos_Example.ext==0.1.0')).toBe('diracos-example-ext==0.1.0');
    expect(distributionKey('wheel==0.34.2')).not.toBe(distributionKey('wheel==0.38.0'));
  });

  it("reads what a tree's site-packages hold (dist-info and egg-info)", () => {
    const site = join(dir, 'tree/usr/lib/python3.11/site-packages');
    mkdirSync(join(site, 'wheel-0.34.2.dist-info'), { recursive: true });
    writeFileSync(join(site, 'wheel-0.34.2.dist-info/METADATA'), 'Metadata-Version: 2.1\nName: wheel\nVersion: 0.34.2\n');
    mkdirSync(join(site, 'six-1.16.0-py3.11.egg-info'), { recursive: true });
    writeFileSync(join(site, 'six-1.16.0-py3.11.egg-info/PKG-INFO'), 'Metadata-Version: 1.2\nName: six\nVersion: 1.16.0\n');
    writeFileSync(join(site, 'Old_Thing-2.0.egg-info'), 'Metadata-Version: 1.0\nName: Old_Thing\nVersion: 2.0\n');
    expect([...installedDistributions(join(dir, 'tree'))].sort()).toEqual(['old-thing==2.0', 'six==1.16.0', 'wheel==0.34.2']);
  });

  it('diracos bundle: --extends and --extension-name go together, and the base must be a file', async () => {
    const run = async (...argv: string[]) => {
      const out = new PassThrough();
      const err = new PassThrough();
      const chunks: string[] = [];
      err.on('data', (c: Buffer) => chunks.push(c.toString()));
      const code = await main(argv, { out: out as unknown as typeof process.stdout, err: err as unknown as typeof process.stderr });
      return { code, err: chunks.join('') };
    };
    const m = ['--manifest', resolve('tests/fixtures/manifest/good.yaml'), '--workdir', join(dir, 'w')];
    expect(await run('bundle', ...m, '--extension-name', 'LHCb')).toEqual({ code: 1, err: 'diracos bundle: --extension-name: goes with --extends (the base tarball the extension adds to)\n' });
    expect(await run('bundle', ...m, '--extends', join(dir, 'base.tar.gz'))).toEqual({ code: 1, err: "diracos bundle: --extends: needs --extension-name (the extension's name, prepended to its tarball's)\n" });
    expect(await run('bundle', ...m, '--extends', join(dir, 'base.tar.gz'), '--extension-name', 'LHCb')).toEqual({
      code: 1,
      err: `diracos bundle: --extends: the base tarball '${join(dir, 'base.tar.gz')}' is not a file\n`,
    });
  });
});
