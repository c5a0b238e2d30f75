// The tarball: GNU tar + pigz/zstd for real; two runs over one tree must give identical bytes.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTarball } from '../../src/bundle-diracos/tarball.js';
import { nodeExec } from '../../src/shared/exec.js';

const work = mkdtempSync(join(tmpdir(), 'bundle-tarball-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function tree(root: string) {
  for (const d of ['usr/bin', 'usr/lib64', 'etc']) mkdirSync(join(root, d), { recursive: true });
  for (const [f, text] of [['usr/bin/b', 'b'], ['usr/bin/a', 'a'], ['usr/lib64/libx.so.1', 'x'], ['etc/conf', 'c']]) writeFileSync(join(root, f), text);
  symlinkSync('libx.so.1', join(root, 'usr/lib64/libx.so'));
  symlinkSync('./usr/bin', join(root, 'bin'));
}

describe('makeTarball', () => {
  for (const compression of ['gzip', 'zstd'] as const) {
    it(`${compression}: byte-identical over two runs, even after touching the files`, async () => {
      const bundle = join(work, `bundle-${compression}`);
      tree(bundle);
      const out1 = join(work, `out1-${compression}`);
      const out2 = join(work, `out2-${compression}`);
      mkdirSync(out1);
      mkdirSync(out2);
      const opts = { version: '2.45', arch: 'x86_64', epoch: 1700000000, compression, jobs: 2 };
      const t1 = await makeTarball(nodeExec, bundle, out1, opts);
      utimesSync(join(bundle, 'usr/bin/a'), new Date(), new Date());
      utimesSync(join(bundle, 'etc/conf'), new Date(0), new Date(0));
      execFileSync('cat', [join(bundle, 'usr/bin/b')]); // an atime change
      const t2 = await makeTarball(nodeExec, bundle, out2, opts);
      expect(readFileSync(t1.path).equals(readFileSync(t2.path))).toBe(true);
      const ext = compression === 'gzip' ? 'tar.gz' : 'tar.zst';
      expect(readdirSync(out1).sort()).toEqual([`diracos-2.45-x86_64.${ext}`, `diracos-2.45-x86_64.${ext}.md5`, `diracos-2.45-x86_64.${ext}.sha256`]);
      // The checksum files verify with the standard tools.
      execFileSync('sha256sum', ['-c', `diracos-2.45-x86_64.${ext}.sha256`], { cwd: out1 });
      execFileSync('md5sum', ['-c', `diracos-2.45-x86_64.${ext}.md5`], { cwd: out1 });
      // One top directory, sorted names, owner 0, mtime = epoch, symlink targets untouched.
      const listing = execFileSync('tar', ['--list', '--verbose', '--numeric-owner', '--full-time', '--utc', '-a', '-f', t1.path], { encoding: 'utf8' });
      const names = execFileSync('tar', ['--list', '-a', '-f', t1.path], { encoding: 'utf8' }).trim().split('\n');
      expect(names[0]).toBe('diracos-2.45-x86_64/');
      expect(names.every((n) => n.startsWith('diracos-2.45-x86_64/'))).toBe(true);
      expect(names).toContain('diracos-2.45-x86_64/usr/lib64/libx.so');
      for (const line of listing.trim().split('\n')) {
        expect(line).toMatch(/ 0\/0 /);
        expect(line).toContain('2023-11-14 22:13:20');
      }
      expect(listing).toContain('diracos-2.45-x86_64/bin -> ./usr/bin');
      expect(listing).not.toMatch(/PaxHeaders/);
    });
  }

  it('a failing tar rejects with its error and leaves nothing in the output folder', async () => {
    const out = join(work, 'out-fail');
    mkdirSync(out);
    const err = await makeTarball(nodeExec, join(work, 'no-such-bundle'), out, { version: '1', arch: 'x86_64', epoch: 0 }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/no-such-bundle/);
    expect(readdirSync(out)).toEqual([]);
  });
});
