import { describe, expect, it } from 'vitest';
import { keepsRpm } from '../../src/build-rpms/select.js';
import { rpmOptions } from '../../src/build-rpms/rpm-options.js';
import { rpmNameOfFile } from '../../src/repo/rpm-names.js';
import { shJoin, shQuote } from '../../src/shared/shell.js';

describe('which built RPMs enter the repository', () => {
  it('keeps everything by default', () => {
    expect(keepsRpm({ excludePatterns: [] }, 'zlib', 'zlib-1.2-1.x86_64.rpm')).toBe(true);
  });
  it('keeps only pkgList names when given', () => {
    const p = { pkgList: ['zlib', 'zlib-devel'], excludePatterns: [] };
    expect(keepsRpm(p, 'zlib-devel', 'zlib-devel-1.2-1.x86_64.rpm')).toBe(true);
    expect(keepsRpm(p, 'minizip', 'minizip-1.2-1.x86_64.rpm')).toBe(false);
  });
  it('drops file names matching an exclude glob', () => {
    const p = { excludePatterns: ['*-debuginfo-*', 'zlib-static-?.*'] };
    expect(keepsRpm(p, 'zlib-debuginfo', 'zlib-debuginfo-1.2-1.x86_64.rpm')).toBe(false);
    expect(keepsRpm(p, 'zlib-static', 'zlib-static-1.2-1.x86_64.rpm')).toBe(false);
    expect(keepsRpm(p, 'zlib', 'zlib-1.2-1.x86_64.rpm')).toBe(true);
    // globs, not regexes: the dot is a dot
    expect(keepsRpm({ excludePatterns: ['zlib.*'] }, 'zlibx', 'zlibx-1.2-1.x86_64.rpm')).toBe(true);
  });
  it('reads the name from N-V-R.A.rpm', () => {
    expect(rpmNameOfFile('python3-six-1.16.0-1.noarch.rpm')).toBe('python3-six');
    expect(rpmNameOfFile('zlib-1.2-1.src.rpm')).toBe('zlib');
  });
});

describe('rpm options and quoting', () => {
  it('passes defines, bconds and --nocheck (rpmbuild only)', () => {
    const p = { defines: { vendor: 'DIRAC OS', _without_docs: '1' }, with: ['shared'], without: ['python'], check: false };
    expect(rpmOptions(p, 'rpmbuild')).toEqual(['--define', '_without_docs 1', '--define', 'vendor DIRAC OS', '--with', 'shared', '--without', 'python', '--nocheck']);
    expect(rpmOptions(p, 'rpmspec')).not.toContain('--nocheck');
  });
  it('quotes words for bash', () => {
    expect(shQuote('plain-word_1.0')).toBe('plain-word_1.0');
    expect(shJoin(['a b', "it's", '$HOME'])).toBe(`'a b' 'it'\\''s' '$HOME'`);
  });
});
