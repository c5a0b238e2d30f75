import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exceedsCeiling, knownCeiling } from '../../src/rules/glibc-ceilings.js';
import { HOST_LIBRARIES, hostProvidedByAll, isHostProvided } from '../../src/rules/host-libraries.js';
import { summaryTable } from '../../src/test-platforms/index.js';
import { junitXml, xmlEscape } from '../../src/test-platforms/junit.js';
import { parseLdd } from '../../src/test-platforms/ldd.js';
import { judgeShebang, shebangInterpreter } from '../../src/test-platforms/shebang-rules.js';
import { scanBundle } from '../../src/test-platforms/static-checks.js';
import { describeVerdict, judgeMode, PAYLOAD_MODE_RULES } from '../../src/rules/payload-modes.js';

describe('host library policy', () => {
  it('leaves glibc to every host and everything else to the bundle', () => {
    for (const family of ['debian', 'el', 'fedora'] as const) {
      expect(isHostProvided(family, 'libc.so.6')).toBe(true);
      expect(isHostProvided(family, 'ld-linux-x86-64.so.2')).toBe(true);
      expect(isHostProvided(family, 'linux-vdso.so.1')).toBe(true);
      expect(isHostProvided(family, 'libstdc++.so.6')).toBe(false);
      expect(isHostProvided(family, 'libnsl.so.1')).toBe(false);
      expect(isHostProvided(family, 'libz.so.1')).toBe(false);
    }
  });
  it('has libcrypt.so.1 on Debian and EL but not on Fedora (libxcrypt-compat is optional there)', () => {
    expect(isHostProvided('debian', 'libcrypt.so.1')).toBe(true);
    expect(isHostProvided('el', 'libcrypt.so.1')).toBe(true);
    expect(isHostProvided('fedora', 'libcrypt.so.1')).toBe(false);
    expect(hostProvidedByAll(['debian', 'fedora'])).not.toContain('libcrypt.so.1');
    expect(hostProvidedByAll(['debian', 'el'])).toContain('libcrypt.so.1');
  });
  it('gives a reason for every row', () => {
    for (const rows of Object.values(HOST_LIBRARIES)) for (const row of rows) expect(row.why).not.toBe('');
  });
});

describe('glibc ceilings', () => {
  it('knows the platforms DIRACOS runs on', () => {
    expect(knownCeiling('slc6')?.glibc).toBe('2.12');
    expect(knownCeiling('cc7')?.glibc).toBe('2.17');
    expect(knownCeiling('ubuntu-22.04')?.glibc).toBe('2.35');
    expect(knownCeiling('ubuntu-24.04')?.glibc).toBe('2.39');
    expect(knownCeiling('bullseye')?.glibc).toBe('2.31');
    expect(knownCeiling('bookworm')?.glibc).toBe('2.36');
    expect(knownCeiling('trixie')?.glibc).toBe('2.41');
    expect(knownCeiling('plan9')).toBeUndefined();
  });
  it('compares numerically, per family', () => {
    const cc7 = knownCeiling('cc7')!;
    expect(exceedsCeiling('GLIBC_2.17', cc7)).toBe(false);
    expect(exceedsCeiling('GLIBC_2.18', cc7)).toBe(true);
    expect(exceedsCeiling('GLIBC_2.2.5', cc7)).toBe(false);
    expect(exceedsCeiling('GLIBCXX_3.4.20', cc7)).toBe(true);
    expect(exceedsCeiling('CXXABI_1.3.7', cc7)).toBe(false);
    expect(exceedsCeiling('GLIBC_PRIVATE', cc7)).toBe(false);
    expect(exceedsCeiling('OPENSSL_3.0.0', cc7)).toBe(false);
    expect(exceedsCeiling('GLIBCXX_3.4.99', { glibc: '2.31' })).toBe(false);
  });
});

describe('shebang rules', () => {
  it.each([
    ['#!/usr/bin/env python3\n', 'ok'],
    ['#! /bin/sh -e\n', 'ok'],
    ['#!/bin/bash\n', 'ok'],
    ['#!/builddir/build/BUILDROOT/diracos/usr/bin/python3\n', 'build-path'],
    ['#!/home/runner/work/x/bin/python\n', 'build-path'],
    ['#!/tmp/pip-build-env/bin/python\n', 'build-path'],
    ['#!/usr/bin/python3.9\n', 'not-relocatable'],
    ['#!python\n', 'not-relocatable'],
  ])('%j is %s', (text, verdict) => {
    expect(judgeShebang(shebangInterpreter(text)!).verdict).toBe(verdict);
  });
  it('ignores text that is no shebang', () => {
    expect(shebangInterpreter('# comment\n')).toBeUndefined();
  });
});

describe('ldd output', () => {
  it('reads every line shape, paths with spaces included', () => {
    const r = parseLdd(
      [
        '\tlinux-vdso.so.1 (0x00007ffc8a5f2000)',
        '\tlibfix.so.1 => /tmp/diracos test.x/diracos-1.0/usr/bin/../lib64/libfix.so.1 (0x00007f0000000000)',
        '\tlibyaml-0.so.2 => not found',
        '\t/lib64/ld-linux-x86-64.so.2 (0x00007f0000001000)',
        "./a: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found (required by ./a)",
        "ERROR: ld.so: object '/x/libbad.so' from LD_PRELOAD cannot be preloaded (cannot open shared object file): ignored.",
        'something else',
      ].join('\n'),
    );
    expect(r.entries).toEqual([
      { name: 'linux-vdso.so.1' },
      { name: 'libfix.so.1', path: '/tmp/diracos test.x/diracos-1.0/usr/bin/../lib64/libfix.so.1' },
      { name: 'libyaml-0.so.2', notFound: true },
      { name: '/lib64/ld-linux-x86-64.so.2', path: '/lib64/ld-linux-x86-64.so.2' },
    ]);
    expect(r.versionErrors).toEqual([{ version: 'GLIBC_2.34', requiredBy: './a' }]);
    expect(r.preloadErrors).toEqual(['/x/libbad.so (from LD_PRELOAD)']);
    expect(r.other).toEqual(['something else']);
    expect(parseLdd('\tnot a dynamic executable\n').static).toBe(true);
  });
});

describe('junit', () => {
  it('escapes and has a testcase per check and per failing item', () => {
    expect(xmlEscape('a<b & "c"\x01')).toBe('a&lt;b &amp; &quot;c&quot;?');
    const xml = junitXml([
      { name: 'static', required: true, checks: [{ check: 'symlinks', passed: 1, failures: [{ item: 'usr/bin/x', message: "absolute symlink to '/y'" }], warnings: [] }] },
      { name: 'cc7', required: false, checks: [{ check: 'ldd', passed: 2, failures: [], warnings: [] }] },
    ]);
    expect(xml).toContain('<testsuite name="static" tests="2" failures="2" errors="0">');
    expect(xml).toContain('<testcase classname="static.symlinks" name="usr/bin/x">');
    expect(xml).toContain('absolute symlink to &apos;/y&apos;');
    expect(xml).toContain('<testsuite name="cc7" tests="1" failures="0" errors="0">');
    expect(xml).toContain('<property name="required" value="false"/>');
  });
});

describe('static scan', () => {
  it('checks only executable shebangs and names each bad link', () => {
    const root = mkdtempSync(join(tmpdir(), 'test-platforms-unit-'));
    try {
      mkdirSync(join(root, 'usr/bin'), { recursive: true });
      writeFileSync(join(root, 'usr/bin/lib.py'), '#!/usr/bin/python3.9\n', { mode: 0o644 });
      writeFileSync(join(root, 'usr/bin/tool'), '#!/usr/bin/python3.9\n', { mode: 0o755 });
      symlinkSync('tool', join(root, 'usr/bin/ok-link'));
      symlinkSync('/etc/passwd', join(root, 'usr/bin/abs'));
      const scan = scanBundle(root);
      const byName = Object.fromEntries(scan.checks.map((c) => [c.check, c]));
      expect(byName.shebangs.failures.map((f) => f.item)).toEqual(['usr/bin/tool']);
      expect(byName.symlinks.failures.map((f) => f.item)).toEqual(['usr/bin/abs']);
      expect(byName.symlinks.passed).toBe(1);
      expect(scan.elves).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('static scan: modes and names (defence in depth behind the bundle stage)', () => {
  it('fails every setuid, setgid or world-writable entry and every name that is not UTF-8, never a symlink', () => {
    const root = mkdtempSync(join(tmpdir(), 'test-platforms-modes-'));
    try {
      mkdirSync(join(root, 'usr/bin'), { recursive: true });
      mkdirSync(join(root, 'tmp'));
      mkdirSync(join(root, 'ok-dir'));
      for (const [f, mode] of [['usr/bin/suid', 0o4755], ['usr/bin/sgid', 0o2755], ['usr/bin/open', 0o666], ['usr/bin/fine', 0o755]] as const) {
        writeFileSync(join(root, f), 'x');
        chmodSync(join(root, f), mode);
      }
      chmodSync(join(root, 'tmp'), 0o1777);
      symlinkSync('fine', join(root, 'usr/bin/link'));
      writeFileSync(Buffer.from(`${root}/ok-dir/caf\xe9`, 'latin1'), 'x');
      const byName = Object.fromEntries(scanBundle(root).checks.map((c) => [c.check, c]));
      expect(byName.modes.failures).toEqual([
        { item: 'tmp', message: 'world-writable (1777 -> 1775): a bundle ships nothing setuid, setgid or world-writable' },
        { item: 'usr/bin/open', message: 'world-writable (0666 -> 0664): a bundle ships nothing setuid, setgid or world-writable' },
        { item: 'usr/bin/sgid', message: 'setgid (2755 -> 0755): a bundle ships nothing setuid, setgid or world-writable' },
        { item: 'usr/bin/suid', message: 'setuid (4755 -> 0755): a bundle ships nothing setuid, setgid or world-writable' },
      ]);
      expect(byName.modes.passed).toBe(4); // ok-dir, usr, usr/bin, usr/bin/fine
      expect(byName.names.failures).toEqual([{ item: 'ok-dir/caf\\xe9', message: 'file name is not valid UTF-8; a bundle holds UTF-8 names only' }]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('payload-mode rules', () => {
  it('strips exactly the refused bits and says which', () => {
    expect(judgeMode(0o100755)).toBeUndefined();
    expect(judgeMode(0o41777)).toMatchObject({ from: 0o1777, to: 0o1775 });
    const v = judgeMode(0o106757)!;
    expect(describeVerdict(v)).toBe('setuid, setgid, world-writable (6757 -> 0755)');
    expect(PAYLOAD_MODE_RULES.every((r) => r.why.length > 0)).toBe(true);
  });
});

describe('manifest errors', () => {
  it('names the platform without a known glibc ceiling before doing any work', async () => {
    const { testPlatforms } = await import('../../src/test-platforms/index.js');
    const { MemoryReporter } = await import('../../src/reporting/reporter.js');
    const platforms = [{ name: 'plan9', image: 'x', family: 'debian' as const }];
    const m = { file: '/m/diracos.yaml', dir: '/m', manifest: { version: '1', platforms }, packages: [], repository: '/m/repo', buildPlatform: platforms[0], arch: 'x86_64' };
    const ctx = { reporter: new MemoryReporter(), workdir: '/nonexistent' } as never;
    await expect(testPlatforms(ctx, m as never, { tarball: '/x.tar.gz', outDir: '/nonexistent' })).rejects.toThrow(
      "platforms[0] 'plan9': no glibc ceiling known for this name; set platforms[0].glibc",
    );
  });
});

describe('the summary table', () => {
  const long = `libfoo.so.1 not found\n${'x'.repeat(500)}`;
  const results = [
    { name: 'static', required: true, checks: [{ check: 'elf', passed: 9, failures: [], warnings: [] }] },
    {
      name: 'cc7',
      required: true,
      checks: [{ check: 'ldd', passed: 3, failures: Array.from({ length: 7 }, (_, i) => ({ item: `usr/bin/p${i}`, message: long })), warnings: [] }],
    },
    { name: 'el9', required: false, checks: [{ check: 'ldd', passed: 10, failures: [], warnings: [] }] },
  ];

  it('keeps cells short and lists the failures below the table', () => {
    const t = summaryTable(results, new Map(), '/out/junit.xml');
    expect(t.rows).toEqual([
      ['static', 'yes', 'ok', 'tested', '9 ok', ''],
      ['cc7', 'yes', 'FAILED', 'tested', '', '7 failed, 3 ok'],
      ['el9', 'no', 'ok', 'tested', '', '10 ok'],
    ]);
    expect(Math.max(...t.rows.flat().map((c) => c.length))).toBeLessThan(20);
    expect(t.notes).toEqual([
      ...[0, 1, 2, 3, 4].map((i) => `cc7 ldd: usr/bin/p${i}: libfoo.so.1 not found`),
      'cc7 ldd: … and 2 more (all in /out/junit.xml)',
    ]);
  });

  it('says which platforms were skipped as unchanged since a passing run', () => {
    const t = summaryTable([results[0]!, results[2]!], new Map([['el9', '2025-12-01T22:50:11.000Z']]), '/out/junit.xml');
    expect(t.rows[1]![3]).toBe('skipped, passed 2025-12-01 22:50 UTC');
    expect(t.notes!.at(-1)).toMatch(/^skipped: el9: the tarball, the platform .* force tests them again/);
  });
});
