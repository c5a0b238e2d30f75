// The newc reader against archives GNU cpio itself writes (and its own listing of them).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, linkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PATH_BYTES, NewcError, readNewc } from '../../src/bundle-diracos/cpio-newc.js';
import { newc } from '../fixtures/bundle/hostile-rpm.js';

const work = mkdtempSync(join(tmpdir(), 'cpio-newc-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `cpio -o -H <format>` of the tree under `dir` (cpio drops find's leading ./ from the names). */
function cpioOf(dir: string, format: string, out: string): string {
  execFileSync('bash', ['-c', `cd "$1" && find . | LC_ALL=C sort | cpio -o --quiet -H ${format} > "$2"`, 'x', dir, out]);
  return out;
}

let tree: string;
beforeAll(() => {
  tree = join(work, 'tree');
  mkdirSync(join(tree, 'usr/lib/with space'), { recursive: true });
  writeFileSync(join(tree, 'usr/lib/with space/data'), 'x'.repeat(5001)); // data not a multiple of 4
  writeFileSync(join(tree, 'usr/lib/a'), 'abc');
  linkSync(join(tree, 'usr/lib/a'), join(tree, 'usr/lib/a-hardlink'));
  symlinkSync('../lib/with space/data', join(tree, 'usr/lib/rel-link'));
  symlinkSync('/etc/passwd', join(tree, 'usr/lib/abs-link'));
  writeFileSync(join(tree, 'usr/lib/caf\u00e9'), '');
});

describe('readNewc', () => {
  for (const format of ['newc', 'crc']) {
    it(`reads every entry GNU cpio wrote (-H ${format}) with its type and link target, as cpio -t lists them`, () => {
      const archive = cpioOf(tree, format, join(work, `tree.${format}`));
      const entries = readNewc(archive);
      const listed = execFileSync('cpio', ['-it', '--quiet'], { input: readFileSync(archive) }).toString().split('\n').filter(Boolean);
      expect(entries.map((e) => e.name.toString('utf8'))).toEqual(listed);
      const byName = new Map(entries.map((e) => [e.name.toString('utf8'), e]));
      expect(byName.get('usr/lib/rel-link')!.target!.toString()).toBe('../lib/with space/data');
      expect(byName.get('usr/lib/abs-link')!.target!.toString()).toBe('/etc/passwd');
      expect(byName.get('usr/lib/rel-link')!.mode & 0o170000).toBe(0o120000);
      expect(byName.get('usr/lib/with space')!.mode & 0o170000).toBe(0o040000);
      expect(byName.get('usr/lib/with space/data')!.filesize).toBe(5001);
      expect(byName.get('usr/lib/a')!.target).toBeUndefined();
    });
  }

  it('stops at the trailer: bytes after it (the block padding cpio adds) are not entries', () => {
    const archive = join(work, 'padded.cpio');
    writeFileSync(archive, Buffer.concat([newc([{ name: './x', mode: 0o100644, data: 'hi' }]), Buffer.alloc(4096, 0x41)]));
    expect(readNewc(archive).map((e) => e.name.toString())).toEqual(['./x']);
  });

  it('refuses what is not a newc archive, or is cut short, saying where', () => {
    const odc = cpioOf(tree, 'odc', join(work, 'tree.odc'));
    expect(() => readNewc(odc)).toThrow(NewcError);
    expect(() => readNewc(odc)).toThrow(/no cpio "new ASCII" header at byte 0 \(magic "070707"/);
    const whole = newc([{ name: './big', mode: 0o100644, data: 'y'.repeat(1000) }]);
    const cut = join(work, 'cut.cpio');
    for (const [length, said] of [
      [50, /ends inside an entry header at byte 0/],
      [113, /ends inside an entry name/],
      [600, /ends inside the data of "\.\/big"/],
    ] as const) {
      writeFileSync(cut, whole.subarray(0, length));
      expect(() => readNewc(cut)).toThrow(said);
    }
    // A whole entry but no trailer: the next header is missing.
    const second = whole.indexOf('070701', 10); // 110 + 6 (./big and its NUL) + 1000, each padded to 4
    expect(second).toBe(1116);
    writeFileSync(cut, whole.subarray(0, second));
    expect(() => readNewc(cut)).toThrow(/ends inside an entry header at byte 1116/);
  });

  it('refuses headers that lie: a field that is not hexadecimal, a name without its NUL or longer than PATH_MAX', () => {
    const bad = join(work, 'bad.cpio');
    const one = newc([{ name: './x', mode: 0o100644, data: 'z' }]);
    const notHex = Buffer.from(one);
    notHex.write('zz', 6 + 8 * 6); // filesize
    writeFileSync(bad, notHex);
    expect(() => readNewc(bad)).toThrow(/field filesize that is not hexadecimal: "zz000001"/);
    const noNul = Buffer.from(one);
    noNul[110 + 3] = 0x41; // the NUL after "./x"
    writeFileSync(bad, noNul);
    expect(() => readNewc(bad)).toThrow(/does not end with a NUL/);
    // PATH_MAX (4096) counts the NUL: cpio can create a name or a link target of 4095 bytes, not 4096.
    expect(MAX_PATH_BYTES).toBe(4095);
    writeFileSync(bad, newc([{ name: `./${'n'.repeat(MAX_PATH_BYTES - 2)}`, mode: 0o100644 }, { name: './l', mode: 0o120777, data: 't'.repeat(MAX_PATH_BYTES) }]));
    expect(readNewc(bad).map((e) => e.name.length)).toEqual([MAX_PATH_BYTES, 3]);
    writeFileSync(bad, newc([{ name: `./${'n'.repeat(MAX_PATH_BYTES - 1)}`, mode: 0o100644 }]));
    expect(() => readNewc(bad)).toThrow(/gives a name of 4097 bytes \(1 to 4096 with its NUL\)/);
    writeFileSync(bad, newc([{ name: './l', mode: 0o120777, data: 't'.repeat(MAX_PATH_BYTES + 1) }]));
    expect(() => readNewc(bad)).toThrow(/has a target of 4096 bytes/);
  });

  it('refuses what GNU cpio reads as other entries: data on a directory, a header of the other magic', () => {
    // Hidden entries: cpio -i parses them where the listing saw data (cpio -t skips a directory's data
    // when it lists, not when it extracts).
    const hidden = newc([{ name: './hidden', mode: 0o100644, data: 'h' }]);
    const smuggled = hidden.subarray(0, hidden.indexOf('TRAILER!!!') - 110).toString('latin1');
    const cases = [
      ['dir-data', newc([{ name: './d', mode: 0o40755, data: smuggled }, { name: './x', mode: 0o100644, data: 'x' }]), /"\.\/d" \(entry at byte 0, mode 40755\) carries 124 bytes of data: cpio would read them as the next header/],
      ['mixed-magic', newc([{ name: './x', mode: 0o100644, data: 'x' }, { name: './f', mode: 0o100644, data: smuggled, magic: '070702' }]), /the header at byte 120 has the magic 070702 in an archive of 070701: cpio would skip it as junk/],
    ] as const;
    for (const [name, bytes, said] of cases) {
      const file = join(work, `${name}.cpio`);
      writeFileSync(file, bytes);
      const into = join(work, `${name}-extracted`);
      mkdirSync(into);
      execFileSync('cpio', ['-id', '--quiet'], { input: bytes, cwd: into });
      expect(readFileSync(join(into, 'hidden'), 'utf8')).toBe('h');
      expect(() => readNewc(file)).toThrow(said);
    }
    // A crc archive throughout is read (its checksums are cpio's business: it writes the same bytes).
    const crc = join(work, 'all-crc.cpio');
    writeFileSync(crc, newc([{ name: './x', mode: 0o100644, data: 'x', magic: '070702' }]));
    expect(() => readNewc(crc)).toThrow(/magic 070701 in an archive of 070702/); // the fixture's trailer is 070701
  });
});
