import { describe, expect, it } from 'vitest';
import { capabilitySoname, closureRoots, hostProvides, hostProvidesSpec } from '../../src/bundle-diracos/closure.js';
import { escapeThroughLinks, setProblems } from '../../src/bundle-diracos/extract.js';
import { pipInstallArgs } from '../../src/bundle-diracos/pip.js';
import { renderVersions } from '../../src/bundle-diracos/versions.js';
import type { RepoIndex } from '../../src/repo/index-file.js';

const INDEX: RepoIndex = {
  version: 1,
  packages: {
    libgreet: { key: 'k1', rpms: ['src/libgreet-1.0-1.src.rpm', 'x86_64/libgreet-1.0-1.x86_64.rpm', 'x86_64/libgreet-devel-1.0-1.x86_64.rpm'], buildOnly: false },
    'gdb-bootstrap': { key: 'k2', rpms: ['buildOnly/x86_64/gdb-bootstrap-1-1.x86_64.rpm'], buildOnly: true },
    'python-foo': { key: 'k3', rpms: ['x86_64/python3-foo-bar-2.1-3.noarch.rpm'], buildOnly: false },
  },
};

describe('closureRoots', () => {
  it('takes every binary RPM name of non-buildOnly entries, minus ignored, plus manual, sorted', () => {
    expect(closureRoots(INDEX)).toEqual(['libgreet', 'libgreet-devel', 'python3-foo-bar']);
    expect(closureRoots(INDEX, { ignoredPackages: ['libgreet-devel'], manualDependencies: ['zz-extra'] })).toEqual(['libgreet', 'python3-foo-bar', 'zz-extra']);
  });

  it('leaves excludedPackages (globs) out of the roots', () => {
    expect(closureRoots(INDEX, { excludedPackages: ['*-devel'] })).toEqual(['libgreet', 'python3-foo-bar']);
    expect(closureRoots(INDEX, { excludedPackages: ['python3-*', 'lib?reet'] })).toEqual(['libgreet-devel']);
  });
});

describe('host provides', () => {
  it('reads the soname of a library capability', () => {
    expect(capabilitySoname('libc.so.6(GLIBC_2.14)(64bit)')).toBe('libc.so.6');
    expect(capabilitySoname('libgcc_s.so.1()(64bit)')).toBe('libgcc_s.so.1');
    expect(capabilitySoname('libfoo.so')).toBe('libfoo.so');
    expect(capabilitySoname('libgreet = 1.0-1')).toBeUndefined();
    expect(capabilitySoname('/bin/sh')).toBeUndefined();
  });

  it('declares host sonames as required (with the bare form createrepo_c drops), ignored packages and graftable libraries', () => {
    const p = hostProvides({
      requires: ['libc.so.6(GLIBC_2.14)(64bit)', 'libgreet.so.1()(64bit)', 'libstdc++.so.6(GLIBCXX_3.4)(64bit)', 'libz.so.1()(64bit)', '(a or b)'],
      hostSonames: ['libc.so.6'],
      ignored: ['zlib', 'zlib = 1.2-1', 'libz.so.1()(64bit)'],
      graftable: ['libstdc++.so.6'],
      hostPackages: ['glibc'],
    });
    expect(p).toContain('libc.so.6(GLIBC_2.14)(64bit)');
    expect(p).toContain('libc.so.6()(64bit)');
    expect(p).toContain('libstdc++.so.6(GLIBCXX_3.4)(64bit)');
    expect(p).toContain('zlib = 1.2-1');
    expect(p).toContain('glibc');
    expect(p).toContain('rtld(GNU_HASH)');
    expect(p).not.toContain('libgreet.so.1()(64bit)');
    expect(p).not.toContain('(a or b)');
    expect(p).toEqual([...p].sort());
    expect(hostProvidesSpec(['a', 'b = 1'])).toMatch(/^Name: diracos-host-provides\n[\s\S]*Provides: a\nProvides: b = 1\n%description/);
  });
});

describe('checks across the payloads of one set', () => {
  it('follows links of every package and reports the one leading out of the root', () => {
    const links = new Map([
      ['lib64', 'usr/lib64'],
      ['usr/share/evil', '/etc'],
      ['a', 'b'],
      ['b', 'a'],
      ['up', '../..'],
    ]);
    expect(escapeThroughLinks('lib64/python', links)).toBeUndefined();
    expect(escapeThroughLinks('usr/share/evil/x', links)).toBe('./usr/share/evil -> /etc');
    expect(escapeThroughLinks('a/x', links)).toMatch(/symlink loop/);
    expect(escapeThroughLinks('up/x', links)).toMatch(/climbs above the root/);
  });

  it('refuses a write through another package\'s absolute link and a path that is a link in one and a dir in another', () => {
    const problems = setProblems([
      { pkg: 'a.rpm', entries: [{ name: './usr/share/evil', kind: 'symlink', target: '/etc' }, { name: './lib64', kind: 'symlink', target: 'usr/lib64' }] },
      { pkg: 'b.rpm', entries: [{ name: './usr/share/evil/passwd', kind: 'file' }, { name: './lib64/libx.so', kind: 'file' }] },
      { pkg: 'c.rpm', entries: [{ name: './lib64', kind: 'dir' }] },
    ]);
    expect(problems).toEqual([
      'c.rpm: ./lib64 is a dir but a symlink in a.rpm',
      'b.rpm: ./usr/share/evil/passwd would be written through ./usr/share/evil -> /etc, outside the bundle',
    ]);
  });
});

describe('pip and versions.txt', () => {
  it('builds the pip command with local paths made absolute against the manifest folder', () => {
    expect(
      pipInstallArgs({ requirements: ['requests==2.31', './pkgs/mine', 'dist/x-1-py3-none-any.whl'], requirementsFile: 'req.txt', findLinks: ['wheels', 'https://h/x'], noIndex: true, indexUrl: 'https://i/simple' }, '/m', '/r/usr'),
    ).toEqual([
      '-m', 'pip', 'install', '--no-cache-dir', '--no-compile', '--disable-pip-version-check', '--no-warn-script-location', '--prefix', '/r/usr',
      '--index-url', 'https://i/simple', '--find-links', '/m/wheels', '--find-links', 'https://h/x', '--no-index', '--requirement', '/m/req.txt',
      'requests==2.31', '/m/pkgs/mine', '/m/dist/x-1-py3-none-any.whl',
    ]);
  });

  it('renders sorted package lines, then the pip section', () => {
    expect(renderVersions(['zlib-1.3-1.x86_64', 'bzip2-1.0-1.x86_64'], ['requests==2.31'])).toBe('bzip2-1.0-1.x86_64\nzlib-1.3-1.x86_64\n# pip\nrequests==2.31\n');
  });
});
