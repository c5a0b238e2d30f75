// The link pass on fixture trees built here: each rule, then the invariants over the whole tree.
import { chmodSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkPass, linkTarget, type LinkPassResult } from '../../src/bundle-diracos/links.js';
import { walkTree } from '../../src/bundle-diracos/walk.js';

const work = mkdtempSync(join(tmpdir(), 'bundle-links-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const bundle = join(work, 'bundle');
const build = join(work, 'buildroot');
let result: LinkPassResult;

function file(root: string, rel: string, text: string, mode = 0o644) {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), text);
  chmodSync(join(root, rel), mode);
}
function link(root: string, rel: string, target: string) {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  symlinkSync(target, join(root, rel));
}

beforeAll(() => {
  file(bundle, 'usr/lib64/libfoo.so.1.2', 'foo');
  file(bundle, 'usr/share/doc/a.txt', 'a');
  link(bundle, 'usr/lib64/libfoo.so.1', 'libfoo.so.1.2'); // inside: kept
  link(bundle, 'usr/lib64/libfoo.so', '/usr/lib64/libfoo.so.1'); // absolute, in bundle: re-pointed
  link(bundle, 'lib64', '/usr/lib64'); // absolute dir link, in bundle
  link(bundle, 'usr/bin/escape', '../../../../usr/share/doc/a.txt'); // climbs above the top, lands in bundle
  link(bundle, 'etc/pki/ca.pem', '/etc/host-ca.pem'); // only in the build root: copied
  link(bundle, 'etc/hostconf', '/etc/hostconf.d'); // a directory of the build root: copied with its links
  link(bundle, 'etc/gone', '/nowhere/at/all'); // nowhere: removed and listed
  link(bundle, 'usr/share/dangling-inside', 'no-such-file'); // inside the tree: untouched even if dangling
  file(bundle, 'usr/bin/tool', '#!/bin/sh\n', 0o755);
  mkdirSync(join(bundle, 'usr/libexec'), { recursive: true });
  linkSync(join(bundle, 'usr/bin/tool'), join(bundle, 'usr/libexec/tool')); // hard link across dirs
  linkSync(join(bundle, 'usr/bin/tool'), join(bundle, 'usr/bin/tool2'));

  file(build, 'etc/host-ca.pem', 'CA');
  file(build, 'etc/hostconf.d/main.conf', 'conf');
  link(build, 'etc/hostconf.d/abs', '/usr/lib64/libfoo.so.1'); // its own absolute link, inside the bundle once copied
  result = linkPass(bundle, { buildRoot: build, brokenLinksFile: join(work, 'brokenLinks.txt') });
});

describe('linkTarget', () => {
  it('says which targets leave the tree', () => {
    expect(linkTarget('a/b/c', '../x')).toEqual({ rootPath: '/a/x', leaves: false });
    expect(linkTarget('a/b/c', '../../../x')).toEqual({ rootPath: '/x', leaves: true });
    expect(linkTarget('a/b/c', '/x/y')).toEqual({ rootPath: '/x/y', leaves: true });
    expect(linkTarget('a/b/c', 'd/../../../e')).toEqual({ rootPath: '/e', leaves: false });
  });
});

describe('linkPass', () => {
  it('re-points absolute links whose target is in the bundle with a relative target', () => {
    expect(readlinkSync(join(bundle, 'usr/lib64/libfoo.so'))).toBe('libfoo.so.1');
    expect(readlinkSync(join(bundle, 'lib64'))).toBe('usr/lib64');
    expect(readlinkSync(join(bundle, 'usr/bin/escape'))).toBe('../share/doc/a.txt');
    expect(readFileSync(join(bundle, 'usr/bin/escape'), 'utf8')).toBe('a');
    expect(readFileSync(join(bundle, 'lib64/libfoo.so'), 'utf8')).toBe('foo');
    expect(result.repointed.sort()).toEqual(['etc/hostconf/abs', 'lib64', 'usr/bin/escape', 'usr/lib64/libfoo.so']);
  });

  it('keeps links that stay inside the tree, even dangling ones', () => {
    expect(readlinkSync(join(bundle, 'usr/lib64/libfoo.so.1'))).toBe('libfoo.so.1.2');
    expect(readlinkSync(join(bundle, 'usr/share/dangling-inside'))).toBe('no-such-file');
  });

  it('copies targets found only in the build root, directories with their own links fixed', () => {
    expect(lstatSync(join(bundle, 'etc/pki/ca.pem')).isFile()).toBe(true);
    expect(readFileSync(join(bundle, 'etc/pki/ca.pem'), 'utf8')).toBe('CA');
    expect(lstatSync(join(bundle, 'etc/hostconf')).isDirectory()).toBe(true);
    expect(readFileSync(join(bundle, 'etc/hostconf/main.conf'), 'utf8')).toBe('conf');
    expect(readlinkSync(join(bundle, 'etc/hostconf/abs'))).toBe('../../usr/lib64/libfoo.so.1');
    expect(result.copied.sort()).toEqual(['etc/hostconf', 'etc/pki/ca.pem']);
  });

  it('removes links found nowhere and lists them in brokenLinks.txt', () => {
    expect(() => lstatSync(join(bundle, 'etc/gone'))).toThrow();
    expect(readFileSync(join(work, 'brokenLinks.txt'), 'utf8')).toBe('etc/gone -> /nowhere/at/all\n');
  });

  it('turns every hard link into an independent copy with the same content and mode', () => {
    const inodes = ['usr/bin/tool', 'usr/bin/tool2', 'usr/libexec/tool'].map((p) => statSync(join(bundle, p)));
    expect(new Set(inodes.map((s) => s.ino)).size).toBe(3);
    for (const s of inodes) {
      expect(s.nlink).toBe(1);
      expect(s.mode & 0o777).toBe(0o755);
    }
    expect(readFileSync(join(bundle, 'usr/libexec/tool'), 'utf8')).toBe('#!/bin/sh\n');
    // Three names of one inode: two copies are made, the last name keeps the (now unshared) inode.
    expect(result.hardLinksSplit).toHaveLength(2);
  });

  it('leaves no absolute or escaping symlink, no hard link and no temp file anywhere', () => {
    const bad: string[] = [];
    for (const e of walkTree(bundle)) {
      if (e.rel.includes('.diracos-tmp')) bad.push(`temp ${e.rel}`);
      if (e.stat.isSymbolicLink() && linkTarget(e.rel, readlinkSync(e.path)).leaves) bad.push(`link ${e.rel}`);
      if (e.stat.isFile() && e.stat.nlink > 1) bad.push(`hard ${e.rel}`);
    }
    expect(bad).toEqual([]);
  });

  it('is idempotent: a second pass changes nothing', () => {
    const again = linkPass(bundle, { buildRoot: build });
    expect(again).toEqual({ repointed: [], copied: [], broken: [], why: {}, hardLinksSplit: [] });
  });
});
