import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { globInRoot } from '../../src/elf/rootfs.js';
import { globToRegExp, isGlob } from '../../src/shared/glob.js';

const matches = (glob: string, name: string) => globToRegExp(glob).test(name);

describe('globToRegExp: one glob syntax (fnmatch without flags) for every pattern', () => {
  it('* is any run of characters, ? one character, and the whole name must match', () => {
    expect(matches('*-debuginfo-*', 'zlib-debuginfo-1.2-1.x86_64.rpm')).toBe(true);
    expect(matches('*-devel', 'zlib-devel-1.2')).toBe(false);
    expect(matches('zlib-?.rpm', 'zlib-1.rpm')).toBe(true);
    expect(matches('zlib-?.rpm', 'zlib-12.rpm')).toBe(false);
    expect(matches('a*', 'a/b\nc')).toBe(true);
  });

  it('regex metacharacters stand for themselves', () => {
    for (const name of ['a.b', 'a+b', 'a^b', 'a$b', 'a{1,2}', 'a(b)', 'a|b', 'a/b', 'a-b', 'c++-1.0']) expect(matches(name, name)).toBe(true);
    expect(matches('a.b', 'axb')).toBe(false);
    expect(matches('a+', 'aa')).toBe(false);
    expect(matches('a{1,2}', 'a')).toBe(false);
    expect(matches('(a|b)', 'a')).toBe(false);
    expect(matches('^a$', 'a')).toBe(false);
    expect(matches('^a$', '^a$')).toBe(true);
  });

  it('[...] is one character of a set, [!...] and [^...] one not in it, ranges included', () => {
    expect(matches('lib[abc].so', 'libb.so')).toBe(true);
    expect(matches('lib[abc].so', 'libd.so')).toBe(false);
    expect(matches('x[0-9]', 'x7')).toBe(true);
    expect(matches('x[!0-9]', 'x7')).toBe(false);
    expect(matches('x[!0-9]', 'xa')).toBe(true);
    expect(matches('x[^0-9]', 'xa')).toBe(true);
    // `]` first is a member; `-` first or last is a member; `.` and `\` inside are themselves
    expect(matches('[]a]', ']')).toBe(true);
    expect(matches('[!]a]', ']')).toBe(false);
    expect(matches('[a-]', '-')).toBe(true);
    expect(matches('[-a]', '-')).toBe(true);
    expect(matches('[.]', 'x')).toBe(false);
    expect(matches('[\\]]', ']')).toBe(true);
  });

  it('a [ that no ] closes is an ordinary character, and \\ quotes the next one', () => {
    expect(matches('a[b', 'a[b')).toBe(true);
    expect(matches('a[', 'a[')).toBe(true);
    expect(matches('a\\*', 'a*')).toBe(true);
    expect(matches('a\\*', 'ab')).toBe(false);
    expect(matches('a\\?', 'a?')).toBe(true);
    expect(matches('a\\', 'a\\')).toBe(true);
  });

  it('a backwards range is an error naming the glob', () => {
    expect(() => globToRegExp('x[z-a]')).toThrow(/glob 'x\[z-a\]': Range out of order/);
  });

  it('tells a glob from a plain name', () => {
    expect(isGlob('*.conf')).toBe(true);
    expect(isGlob('lib[ab]')).toBe(true);
    expect(isGlob('x86_64-linux-gnu.conf')).toBe(false);
  });
});

describe('ld.so.conf include globs use the same syntax', () => {
  it('expands *, ? and [...] in the last component, sorted', () => {
    const root = mkdtempSync(join(tmpdir(), 'glob-root-'));
    try {
      mkdirSync(join(root, 'etc/ld.so.conf.d'), { recursive: true });
      for (const f of ['a.conf', 'b.conf', 'c+d.conf', 'x.txt']) writeFileSync(join(root, 'etc/ld.so.conf.d', f), '');
      expect(globInRoot(root, '/etc/ld.so.conf.d/*.conf')).toEqual(['/etc/ld.so.conf.d/a.conf', '/etc/ld.so.conf.d/b.conf', '/etc/ld.so.conf.d/c+d.conf']);
      expect(globInRoot(root, '/etc/ld.so.conf.d/[!a].conf')).toEqual(['/etc/ld.so.conf.d/b.conf']);
      expect(globInRoot(root, '/etc/ld.so.conf.d/c+d.con?')).toEqual(['/etc/ld.so.conf.d/c+d.conf']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
