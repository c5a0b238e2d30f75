// The resolver: against the real ld.so (through ldd) on this machine, and on root trees built here
// with binutils to check each search rule (RPATH inheritance, RUNPATH, defaults, chroot symlinks).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LibraryResolver, isElfFile, readElf, realpathInRoot } from '../../src/elf/index.js';
import { TARGETS, buildTiny } from '../fixtures/bundle/tiny-elf.js';

const work = mkdtempSync(join(tmpdir(), 'elf-lddtree-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** ldd's view: soname -> real path, for every library of the closure it resolved. */
function lddClosure(file: string): Map<string, string> {
  const out = execFileSync('ldd', [file], { encoding: 'utf8' });
  const libs = new Map<string, string>();
  for (const m of out.matchAll(/^\s+(\S+) => (\/\S+) \(0x/gm)) libs.set(m[1], realpathSync(m[2]));
  return libs;
}

describe('LibraryResolver on this machine (root /) agrees with ld.so', () => {
  const programs = readdirSync('/usr/bin')
    .map((n) => join('/usr/bin', n))
    .filter((p) => isElfFile(p) && readElf(p).interpreter !== undefined)
    .slice(0, 150);
  for (const extra of ['/bin/ls', '/usr/bin/g++', process.execPath]) if (isElfFile(extra)) programs.push(extra);

  it('resolves the same closure as ldd for real dynamic programs (node, g++, ls and /usr/bin)', () => {
    const resolver = new LibraryResolver('/');
    const diffs: string[] = [];
    let compared = 0;
    for (const p of programs) {
      const want = lddClosure(p);
      const tree = resolver.tree(p);
      const got = new Map([...tree.libs.values()].filter((l) => l.realPath && !l.name.includes('/')).map((l) => [l.name, l.realPath as string]));
      // ldd prints the interpreter by path, not by NEEDED name; compare the NEEDED-named ones.
      for (const [name, path] of want) {
        compared++;
        if (got.get(name) !== path) diffs.push(`${p}: ${name}: ldd ${path}, resolver ${got.get(name)}`);
      }
      for (const name of got.keys()) if (!want.has(name) && !name.startsWith('ld-linux')) diffs.push(`${p}: ${name} only in resolver`);
    }
    expect(diffs.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(300);
  });
});

/** as + ld for x86_64, to chain libraries. */
function asld(dir: string, name: string, source: string, ldArgs: string[]): string {
  writeFileSync(join(dir, `${name}.s`), source);
  execFileSync('as', ['--64', '-o', join(dir, `${name}.o`), join(dir, `${name}.s`)]);
  const out = join(dir, name);
  execFileSync('ld', ['-m', 'elf_x86_64', ...ldArgs, '-o', out, join(dir, `${name}.o`)]);
  return out;
}
const fn = (sym: string) => `\t.text\n\t.globl ${sym}\n\t.type ${sym},@function\n${sym}:\n\t.byte 0\n`;
const ref = (sym: string) => `\t.data\n\t.globl main\nmain:\n\t.quad ${sym}\n`;

describe('LibraryResolver search rules inside a root', () => {
  /** root/opt/app/{bin/user, lib/libfoo.so.1 -> needs libbar.so.1, lib/libbar.so.1}. */
  function chain(newDtags: boolean): string {
    const root = join(work, `chain-${newDtags}`);
    const lib = join(root, 'opt/app/lib');
    const bin = join(root, 'opt/app/bin');
    mkdirSync(lib, { recursive: true });
    mkdirSync(bin, { recursive: true });
    const bar = asld(lib, 'libbar.so.1', fn('bar'), ['-shared', '-soname', 'libbar.so.1']);
    const foo = asld(lib, 'libfoo.so.1', fn('foo') + ref('bar').replaceAll('main', 'fooref'), ['-shared', '-soname', 'libfoo.so.1', bar]);
    const dtags = newDtags ? '--enable-new-dtags' : '--disable-new-dtags';
    asld(bin, 'user', ref('foo'), ['-pie', '-e', 'main', '--dynamic-linker', '/lib64/ld-linux-x86-64.so.2', '-rpath', '$ORIGIN/../lib', dtags, foo]);
    return root;
  }

  it('DT_RPATH of the executable also serves its libraries (libbar found through the loader)', () => {
    const tree = new LibraryResolver(chain(false)).tree('/opt/app/bin/user');
    expect(tree.missing).toEqual([]);
    expect(tree.libs.get('libfoo.so.1')).toMatchObject({ path: '/opt/app/lib/libfoo.so.1', via: 'rpath' });
    expect(tree.libs.get('libbar.so.1')).toMatchObject({ path: '/opt/app/lib/libbar.so.1', via: 'rpath' });
  });

  it('DT_RUNPATH serves only its own object: libbar is missing, as ld.so would say', () => {
    const tree = new LibraryResolver(chain(true)).tree('/opt/app/bin/user');
    expect(tree.libs.get('libfoo.so.1')).toMatchObject({ path: '/opt/app/lib/libfoo.so.1', via: 'runpath' });
    expect(tree.missing).toEqual(['libbar.so.1']);
  });

  it('falls back to ld.so.conf and default dirs, skips other classes, resolves absolute symlinks inside the root', () => {
    const root = join(work, 'defaults');
    const x64 = TARGETS.find((t) => t.name === 'x86_64');
    const i386 = TARGETS.find((t) => t.name === 'i386');
    if (!x64 || !i386) throw new Error('targets');
    const built64 = buildTiny(x64, join(work, 'b64'), { rpath: '/nowhere', newDtags: true });
    const built32 = buildTiny(i386, join(work, 'b32'), { rpath: '/nowhere', newDtags: true });
    for (const d of ['usr/bin', 'usr/lib', 'usr/lib64', 'opt/real', 'etc/ld.so.conf.d', 'opt/conf']) mkdirSync(join(root, d), { recursive: true });
    copyFileSync(built64.user, join(root, 'usr/bin/user'));
    // An i386 libfoo earlier in the search (ld.so.conf dir) must be skipped for the 64-bit user.
    copyFileSync(built32.lib, join(root, 'opt/conf/libfoo.so.1'));
    writeFileSync(join(root, 'etc/ld.so.conf'), 'include ld.so.conf.d/*.conf\n');
    writeFileSync(join(root, 'etc/ld.so.conf.d/x.conf'), '# comment\n/opt/conf\n');
    // /usr/lib64/libfoo.so.1 -> /opt/real/libfoo.so.1: absolute, so it must be read inside the root.
    copyFileSync(built64.lib, join(root, 'opt/real/libfoo.so.1'));
    symlinkSync('/opt/real/libfoo.so.1', join(root, 'usr/lib64/libfoo.so.1'));
    const resolver = new LibraryResolver(root);
    expect(resolver.ldSoConfDirs()).toEqual(['/opt/conf']);
    const tree = resolver.tree('/usr/bin/user');
    expect(tree.missing).toEqual([]);
    expect(tree.libs.get('libfoo.so.1')).toMatchObject({ path: '/usr/lib64/libfoo.so.1', realPath: '/opt/real/libfoo.so.1', via: 'default' });
    // With no compatible library anywhere it is reported missing.
    rmSync(join(root, 'opt/real/libfoo.so.1'));
    expect(new LibraryResolver(root).tree('/usr/bin/user').missing).toEqual(['libfoo.so.1']);
  });

  it('realpathInRoot never leaves the root, whatever the links say', () => {
    const root = join(work, 'links');
    mkdirSync(join(root, 'a'), { recursive: true });
    symlinkSync('../../../../etc', join(root, 'a/up'));
    symlinkSync('/a/loop2', join(root, 'a/loop1'));
    symlinkSync('/a/loop1', join(root, 'a/loop2'));
    mkdirSync(join(root, 'etc'));
    writeFileSync(join(root, 'etc/hosts'), '');
    // ../../../../etc from /a climbs to the root and stops there: the root's own etc.
    expect(realpathInRoot(root, '/a/up')).toBe('/etc');
    expect(realpathInRoot(root, '/a/up/hosts')).toBe('/etc/hosts');
    expect(realpathInRoot(root, '/a/up/passwd')).toBeUndefined();
    expect(realpathInRoot(root, '/a/loop1')).toBeUndefined();
  });
});
