// The link pass on fixture trees built here: each rule, then the invariants over the whole tree.
import { chmodSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
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

/** The link policy (src/rules/link-policy.ts): what a link leaving the tree may bring from the build root. */
describe('linkPass under the link policy', () => {
  const b = join(work, 'policy-bundle');
  const r = join(work, 'policy-root');
  let res: LinkPassResult;

  beforeAll(() => {
    file(r, 'etc/shadow', 'root:$6$secret', 0o640);
    file(r, 'etc/os-release', 'ID=build\n', 0o644);
    file(r, 'etc/private.conf', 'x', 0o600); // not world-readable
    file(r, 'etc/writable.conf', 'x', 0o666); // world-writable
    file(r, 'usr/bin/su', 'x', 0o4755); // setuid
    file(r, 'etc/ssl/private/server.key', 'KEY', 0o644);
    file(r, 'etc/ssh/ssh_host_rsa_key', 'KEY', 0o644);
    file(r, 'tmp/junk', 'x', 0o644);
    chmodSync(join(r, 'tmp'), 0o1777);
    file(r, 'home/user/.bashrc', 'x', 0o644);
    file(r, 'etc/conf.d/ok.conf', 'ok', 0o644);
    file(r, 'etc/conf.d/secret.conf', 'no', 0o600); // one bad file inside a directory refuses all of it
    file(r, 'usr/share/big/blob', '', 0o644);
    execTruncate(join(r, 'usr/share/big/blob'), 65 * 1024 * 1024); // sparse: over the size limit
    mkdirSync(join(r, 'var/spool/open'), { recursive: true });
    chmodSync(join(r, 'var/spool/open'), 0o777); // world-writable directory
    link(b, 'a/shadow', '/etc/shadow');
    link(b, 'a/tmp', '../../../../tmp');
    link(b, 'a/home', '/home/user/.bashrc');
    link(b, 'a/os-release', '/etc/os-release');
    link(b, 'a/private', '/etc/private.conf');
    link(b, 'a/writable', '/etc/writable.conf');
    link(b, 'a/su', '/usr/bin/su');
    link(b, 'a/key', '/etc/ssl/private/server.key');
    link(b, 'a/hostkey', '/etc/ssh/ssh_host_rsa_key');
    link(b, 'a/conf', '/etc/conf.d');
    link(b, 'a/big', '/usr/share/big');
    link(b, 'a/spool', '/var/spool/open');
    link(b, 'a/root', '/'); // the bundle's own top once relocated: re-pointed, never the build root
    res = linkPass(b, { buildRoot: r, brokenLinksFile: join(work, 'policy-broken.txt') });
  });

  it('copies only a world-readable file of the build root', () => {
    expect(res.copied).toEqual(['a/os-release']);
    expect(readFileSync(join(b, 'a/os-release'), 'utf8')).toBe('ID=build\n');
  });

  it('removes every other link, lists it in brokenLinks.txt and says why', () => {
    const why = (link: string) => Object.entries(res.why).find(([line]) => line.startsWith(`${link} -> `))?.[1];
    expect(why('a/shadow')).toBe('password or privilege file');
    expect(why('a/tmp')).toBe('under /tmp (temporary files)');
    expect(why('a/home')).toBe("under /home (home directories)");
    expect(why('a/private')).toBe('/etc/private.conf: not world-readable (600)');
    expect(why('a/writable')).toBe('/etc/writable.conf: world-writable file (666)');
    expect(why('a/su')).toBe('/usr/bin/su: setuid/setgid (4755)');
    expect(why('a/key')).toBe('private key folder');
    expect(why('a/hostkey')).toBe('key file');
    expect(why('a/conf')).toBe('/etc/conf.d/secret.conf: not world-readable (600)');
    expect(why('a/big')).toBe('more than 64 MiB');
    expect(why('a/spool')).toBe('/var/spool/open: world-writable directory (777)');
    expect(res.repointed).toEqual(['a/root']);
    expect(res.broken).toHaveLength(11);
    expect(readFileSync(join(work, 'policy-broken.txt'), 'utf8').split('\n').filter(Boolean).sort()).toEqual([...res.broken].sort());
    for (const line of res.broken) expect(() => lstatSync(join(b, line.split(' -> ')[0]!))).toThrow();
  });
});

function execTruncate(path: string, size: number): void {
  truncateSync(path, size);
}
