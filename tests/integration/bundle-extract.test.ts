// Extraction of real RPMs (built here with rpmbuild) into a bundle root, and refusal of hostile ones.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discardListed, extractListed, extractRpm, listPayloads } from '../../src/bundle-diracos/extract.js';
import { stripModes } from '../../src/bundle-diracos/modes.js';
import { walkTree } from '../../src/bundle-diracos/walk.js';
import { nodeExec } from '../../src/shared/exec.js';
import { DiracosError, DiracosErrors } from '../../src/shared/errors.js';
import { buildRpm, newc, spliceRpm, type CpioEntry } from '../fixtures/bundle/hostile-rpm.js';

const work = mkdtempSync(join(tmpdir(), 'bundle-extract-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let good: string;
let withDevice: string;
beforeAll(() => {
  good = buildRpm(join(work, 'good'), 'goodpkg');
  // rpmbuild itself puts a character device in the payload with %dev (we build as root or not: %dev needs no mknod).
  withDevice = buildRpm(join(work, 'dev'), 'devpkg', '%dev(c,1,3) /dev/evilnull');
});

function freshRoot(name: string): string {
  const root = join(work, `root-${name}`);
  mkdirSync(root, { recursive: true });
  return root;
}

/** The refusal, or a failure if extraction went through; nothing was written into the root either way. */
async function refusal(rpm: string, root: string): Promise<DiracosErrors> {
  const before = readdirSync(root, { recursive: true });
  const err = await extractRpm(nodeExec, rpm, root).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DiracosErrors);
  expect(readdirSync(root, { recursive: true })).toEqual(before);
  return err as DiracosErrors;
}

/** The problems named when the good package's payload, replaced by `entries`, is extracted into a fresh root. */
async function refusedPayload(name: string, entries: readonly CpioEntry[], o?: Parameters<typeof spliceRpm>[3]): Promise<string[]> {
  const err = await refusal(spliceRpm(good, join(work, `${name}.rpm`), entries, o), freshRoot(name));
  return err.problems.map((p) => p.message);
}

describe('extractRpm', () => {
  it('extracts a normal package as a root filesystem, keeping its symlinks for the link pass', async () => {
    const root = freshRoot('ok');
    const entries = await extractRpm(nodeExec, good, root);
    expect(entries.map((e) => e.name)).toEqual(expect.arrayContaining(['./usr/share/goodpkg/file', './usr/lib/abs-link']));
    expect(readFileSync(join(root, 'usr/share/goodpkg/file'), 'utf8')).toBe('hello\n');
    expect(readlinkSync(join(root, 'usr/lib/abs-link'))).toBe('/usr/share/goodpkg/file');
    // Re-running over the same root is fine (an interrupted run is re-run).
    await extractRpm(nodeExec, good, root);
  });

  it('refuses a device node produced by rpmbuild, naming the package and the entry, and writes nothing', async () => {
    const root = freshRoot('dev');
    const err = await refusal(withDevice, root);
    expect(err.message).toContain('devpkg-1-1.noarch.rpm');
    expect(err.message).toMatch(/\.\/dev\/evilnull is a char-device/);
    expect(readdirSync(root)).toEqual([]);
  });

  it('refuses ../ and absolute payload names (cpio would only strip them silently)', async () => {
    const problems = await refusedPayload('dotdot', [
      { name: './usr', mode: 0o40755 },
      { name: '../evil', mode: 0o100644, data: 'x' },
      { name: './usr/../../evil2', mode: 0o100644, data: 'x' },
      { name: '/etc/evil3', mode: 0o100644, data: 'x' },
    ]);
    expect(problems).toEqual([
      'dotdot.rpm: ../evil is not a ./relative payload path (absolute or foreign layout)',
      "dotdot.rpm: ./usr/../../evil2 climbs out of the root with '..'",
      'dotdot.rpm: /etc/evil3 is not a ./relative payload path (absolute or foreign layout)',
    ]);
  });

  it('refuses writing through a symlink of the same payload, which plain cpio really follows out of the root', async () => {
    const outside = join(work, 'outside');
    mkdirSync(outside, { recursive: true });
    const rpm = spliceRpm(good, join(work, 'through.rpm'), [
      { name: './l', mode: 0o120777, data: outside },
      { name: './l/evil', mode: 0o100644, data: 'x' },
    ]);
    // The fixture is a real threat: cpio alone writes outside/evil.
    const plain = freshRoot('plain');
    await nodeExec('bash', ['-c', `rpm2cpio "$1" | cpio -idmu --no-absolute-filenames --quiet`, 'x', rpm], { cwd: plain });
    expect(existsSync(join(outside, 'evil'))).toBe(true);
    rmSync(join(outside, 'evil'));

    const root = freshRoot('through');
    const err = await refusal(rpm, root);
    expect(err.message).toContain('./l/evil would be written through the symlink ./l of the same package');
    expect(existsSync(join(outside, 'evil'))).toBe(false);
  });

  it('refuses writing through a symlink left in the root by an earlier package when it leads outside', async () => {
    const root = freshRoot('earlier');
    symlinkSync(join(work, 'outside'), join(root, 'usr'));
    const err = await refusal(good, root);
    expect(err.message).toMatch(/would be written through \.\/usr, a symlink in the bundle to .*outside/);
    // A relative in-root link (EL's lib64 -> usr/lib64 style) is fine.
    const root2 = freshRoot('inroot');
    mkdirSync(join(root2, 'realusr'));
    symlinkSync('realusr', join(root2, 'usr'));
    await extractRpm(nodeExec, good, root2);
    expect(lstatSync(join(root2, 'realusr/share/goodpkg/file')).isFile()).toBe(true);
  });

  it('checks a set against the payloads extracted before it, and writes none of it on a conflict', async () => {
    const root = freshRoot('sets');
    const first = spliceRpm(good, join(work, 'first.rpm'), [
      { name: './data', mode: 0o40755 },
      { name: './data/f', mode: 0o100644, data: 'x' },
    ]);
    const second = spliceRpm(good, join(work, 'second.rpm'), [
      { name: './data', mode: 0o120777, data: 'elsewhere' },
      { name: './other', mode: 0o100644, data: 'y' },
    ]);
    const earlier = await listPayloads(nodeExec, [first], root, 2);
    await extractListed(nodeExec, earlier, root, 2);
    expect(readFileSync(join(root, 'data/f'), 'utf8')).toBe('x');
    const later = await listPayloads(nodeExec, [second], root, 2);
    const err = await extractListed(nodeExec, later, root, 2, earlier).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DiracosErrors);
    expect((err as DiracosErrors).message).toContain('second.rpm: ./data is a symlink but a dir in first.rpm');
    expect(lstatSync(join(root, 'data')).isDirectory()).toBe(true);
    expect(existsSync(join(root, 'other'))).toBe(false);
  });
  it('fails, naming the package and what cpio said, when cpio cannot write an entry though it exits 0 (a file over a folder)', async () => {
    const root = freshRoot('file-over-dir');
    const first = spliceRpm(good, join(work, 'dir-first.rpm'), [
      { name: './opt', mode: 0o40755 },
      { name: './opt/x', mode: 0o40755 },
      { name: './opt/x/inside', mode: 0o100644, data: 'x' },
    ]);
    const second = spliceRpm(good, join(work, 'file-second.rpm'), [
      { name: './opt', mode: 0o40755 },
      { name: './opt/x', mode: 0o100644, data: 'a file where a folder is' },
    ]);
    // Plain cpio: a message, status 0, and the folder left where the package wanted its file.
    const plainRoot = freshRoot('file-over-dir-plain');
    for (const rpm of [first, second]) {
      const plain = await nodeExec('bash', ['-c', 'set -o pipefail; rpm2cpio "$1" | cpio -idmu --quiet --no-absolute-filenames', 'x', rpm], { cwd: plainRoot });
      expect(plain.exitCode).toBe(0);
      if (rpm === second) expect(plain.stderr).toMatch(/cannot remove current \.\/opt\/x: (Is a directory|Directory not empty)/);
    }
    const earlier = await listPayloads(nodeExec, [first], root, 1);
    await extractListed(nodeExec, earlier, root, 1);
    const later = await listPayloads(nodeExec, [second], root, 1);
    await expect(extractListed(nodeExec, later, root, 1, earlier)).rejects.toThrow(/extracting file-second\.rpm failed \(cpio exited with 0\): cpio: cannot remove current \.\/opt\/x/);
  });
});

describe('the adversarial corpus: tampered RPMs, modes, names', () => {
  let tampered: string;
  let headerTampered: string;
  let md5Tampered: string;
  let flipped: string;
  beforeAll(() => {
    // The payload replaced after the build: the digests left as rpmbuild wrote them, or all but those
    // over the header, or all but the legacy MD5 (rpm2cpio alone would extract that one silently).
    const replaced = [{ name: './usr/share/goodpkg/file', mode: 0o100644, data: 'not what was built\n' }];
    tampered = spliceRpm(good, join(work, 'tampered.rpm'), replaced, { tamper: 'payload' });
    headerTampered = spliceRpm(good, join(work, 'header-tampered.rpm'), replaced, { tamper: 'header' });
    md5Tampered = spliceRpm(good, join(work, 'md5-tampered.rpm'), replaced, { tamper: 'md5' });
    // One byte of a real RPM's compressed payload changed.
    const bytes = readFileSync(good);
    bytes[bytes.length - 40] ^= 0x01;
    flipped = join(work, 'flipped.rpm');
    writeFileSync(flipped, bytes);
  });

  it('refuses an RPM whose digests are NOT OK (rpm -K) before writing anything, saying which digest', async () => {
    const root = freshRoot('tampered');
    const err = await refusal(tampered, root);
    expect(err.message).toContain('refusing to extract tampered.rpm');
    expect(err.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^tampered\.rpm: digests NOT OK \(.*Payload SHA256 digest: BAD/)]);
    expect(readdirSync(root)).toEqual([]);
  });

  it('names every bad package of a set and extracts none of the set', async () => {
    const root = freshRoot('tampered-set');
    // rpm2cpio | cpio alone lists the MD5-tampered one without a word.
    const plain = await nodeExec('bash', ['-c', 'set -o pipefail; rpm2cpio "$1" | cpio -it --quiet', 'list', md5Tampered]);
    expect(plain.stdout).toContain('./usr/share/goodpkg/file');
    const listed = await listPayloads(nodeExec, [good, tampered, headerTampered, md5Tampered, flipped], root, 2);
    expect(listed.map((l) => [l.pkg, l.problems.length])).toEqual([
      ['goodpkg-1-1.noarch.rpm', 0],
      ['tampered.rpm', 1],
      ['header-tampered.rpm', 1],
      ['md5-tampered.rpm', 1],
      ['flipped.rpm', 1],
    ]);
    expect(listed[2]!.problems[0]).toMatch(/^header-tampered\.rpm: digests NOT OK \(Header SHA256 digest: BAD/);
    expect(listed[3]!.problems[0]).toMatch(/^md5-tampered\.rpm: digests NOT OK \(MD5 digest: BAD/);
    expect(listed[4]!.problems[0]).toMatch(/^flipped\.rpm: digests NOT OK/);
    const err = await extractListed(nodeExec, listed, root, 2).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DiracosErrors);
    expect((err as Error).message.split('\n')[0]).toBe('refusing to extract tampered.rpm, header-tampered.rpm, md5-tampered.rpm, flipped.rpm:');
    expect(readdirSync(root)).toEqual([]);
  });

  it('refuses a payload file name that is not UTF-8, naming the package, instead of failing later with ENOENT', async () => {
    const problems = await refusedPayload('latin1', [
      { name: './usr', mode: 0o40755 },
      { name: Buffer.concat([Buffer.from('./usr/caf'), Buffer.from([0xe9])]), mode: 0o100644, data: 'x' },
    ]);
    expect(problems).toEqual([expect.stringMatching(/^latin1\.rpm: \.\/usr\/caf\uFFFD: a file name \(or link target\) that is not valid UTF-8/)]);
    const root = join(work, 'root-latin1');
    // Should such a name reach a bundle tree another way, the walks name it instead of failing to stat it.
    mkdirSync(join(root, 'usr'));
    writeFileSync(Buffer.from(`${root}/usr/caf\xe9`, 'latin1'), 'x');
    expect(() => [...walkTree(root)]).toThrow(DiracosError);
    expect(() => [...walkTree(root)]).toThrow(/the file name 'caf\\xe9' is not valid UTF-8/);
  });

  it('refuses names and link targets with control characters (a newline breaks every list of files), accepts a real U+FFFD', async () => {
    const problems = await refusedPayload('controls', [
      { name: './usr', mode: 0o40755 },
      { name: './usr/two\nlines', mode: 0o100644, data: 'x' },
      { name: './usr/tab-link', mode: 0o120777, data: 'a\tb' },
      { name: './usr/replacement-\uFFFD', mode: 0o100644, data: 'x' },
    ]);
    expect(problems).toEqual([
      'controls.rpm: "./usr/two\\nlines": a file name (or link target) with a control character; a bundle holds none',
      'controls.rpm: "a\\tb": a file name (or link target) with a control character; a bundle holds none',
    ]);
    const root = join(work, 'root-controls');
    // U+FFFD is valid UTF-8 (the listing no longer goes through text that could not tell it from a bad byte).
    const fine = spliceRpm(good, join(work, 'replacement.rpm'), [
      { name: './usr', mode: 0o40755 },
      { name: './usr/replacement-\uFFFD', mode: 0o100644, data: 'x' },
    ]);
    await extractRpm(nodeExec, fine, root);
    expect(readdirSync(join(root, 'usr'))).toEqual(['replacement-\uFFFD']);
  });

  it('refuses a payload cut short (digests made over the cut archive), naming the package, and writes nothing', async () => {
    const problems = await refusedPayload('cut', [{ name: './usr', mode: 0o40755 }, { name: './usr/big', mode: 0o100644, data: 'y'.repeat(1000) }], {
      archive: (cpio) => cpio.subarray(0, 600),
    });
    expect(problems).toEqual([expect.stringMatching(/^cut\.rpm: its payload is not a cpio archive as RPM writes them: the archive ends inside the data of "\.\/usr\/big"/)]);
  });

  /** rpm2cpio | cpio alone, into a fresh root: what the payload really does when nothing checks it. */
  async function plainCpio(rpm: string, root: string): Promise<void> {
    mkdirSync(root, { recursive: true });
    await nodeExec('bash', ['-c', 'rpm2cpio "$1" | cpio -idmu --no-absolute-filenames --quiet', 'x', rpm], { cwd: root });
  }

  it('refuses a payload cpio reads otherwise than its listing: data on a directory, a header of the other magic', async () => {
    const outside = join(work, 'outside-smuggled');
    // Entries hidden where the listing sees data: a link out of the root and a file written through it.
    const hidden = newc([{ name: './l', mode: 0o120777, data: outside }, { name: './l/evil', mode: 0o100644, data: 'pwned' }]);
    const smuggled = hidden.subarray(0, hidden.indexOf('TRAILER!!!') - 110).toString('latin1');
    const rpms = [
      spliceRpm(good, join(work, 'dir-data.rpm'), [{ name: './usr', mode: 0o40755, data: smuggled }, { name: './usr/ok', mode: 0o100644, data: 'x' }]),
      spliceRpm(good, join(work, 'crc-header.rpm'), [{ name: './usr', mode: 0o40755 }, { name: './usr/ok', mode: 0o100644, data: smuggled, magic: '070702' }]),
    ];
    for (const rpm of rpms) {
      mkdirSync(outside, { recursive: true });
      await plainCpio(rpm, join(work, `plain-${basename(rpm)}`));
      expect(readFileSync(join(outside, 'evil'), 'utf8')).toBe('pwned'); // the fixture is a real threat
      rmSync(outside, { recursive: true });
      mkdirSync(outside);
      const root = freshRoot(`smuggled-${basename(rpm)}`);
      const err = await refusal(rpm, root);
      expect(err.problems.map((p) => p.message)).toEqual([expect.stringMatching(new RegExp(`^${basename(rpm)}: its payload is not a cpio archive as RPM writes them: .*(cpio would read them as the next header|cpio would skip it as junk)`))]);
      expect(readdirSync(root)).toEqual([]);
      expect(readdirSync(outside)).toEqual([]);
    }
  });

  it('refuses names that are not plain ./a/b paths: the checks compare names, cpio follows them to one file', async () => {
    const outside = join(work, 'outside-spelled');
    mkdirSync(outside, { recursive: true });
    // A hard link without data is created last, by open(): through the link made after it, spelled otherwise.
    const rpm = spliceRpm(good, join(work, 'spelled.rpm'), [
      { name: './/x', mode: 0o100644, nlink: 2 },
      { name: './x', mode: 0o120777, data: join(outside, 'created') },
    ]);
    await plainCpio(rpm, join(work, 'plain-spelled'));
    expect(existsSync(join(outside, 'created'))).toBe(true);
    rmSync(join(outside, 'created'));
    const root = freshRoot('spelled');
    const odd = spliceRpm(good, join(work, 'odd-names.rpm'), [
      { name: './usr/', mode: 0o40755 },
      { name: './usr/./a', mode: 0o100644, data: 'x' },
    ]);
    for (const [r, names] of [
      [rpm, ['.//x']],
      [odd, ['./usr/', './usr/./a']],
    ] as const) {
      const err = await refusal(r, root);
      expect(err.problems.map((p) => p.message)).toEqual(names.map((n) => `${basename(r)}: ${n} is not a plain ./relative path (an empty or '.' component, or a trailing slash)`));
    }
    expect(readdirSync(root)).toEqual([]);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses a path that is a symlink in one payload and a file in another when an in-root link makes them one', async () => {
    const outside = join(work, 'outside-aliased');
    mkdirSync(outside, { recursive: true });
    const first = spliceRpm(good, join(work, 'usrmove.rpm'), [
      { name: './lib', mode: 0o120777, data: 'usr/lib' },
      { name: './usr', mode: 0o40755 },
      { name: './usr/lib', mode: 0o40755 },
    ]);
    // ./lib/x (created last, by open()) is ./usr/lib/x, which the same payload makes a link out of the root.
    const second = spliceRpm(good, join(work, 'aliased.rpm'), [
      { name: './lib/x', mode: 0o100644, nlink: 2 },
      { name: './usr/lib/x', mode: 0o120777, data: join(outside, 'created') },
    ]);
    const plain = join(work, 'plain-aliased');
    await plainCpio(first, plain);
    await plainCpio(second, plain);
    expect(existsSync(join(outside, 'created'))).toBe(true);
    rmSync(join(outside, 'created'));

    const root = freshRoot('aliased');
    const earlier = await listPayloads(nodeExec, [first], root, 2);
    await extractListed(nodeExec, earlier, root, 2);
    const later = await listPayloads(nodeExec, [second], root, 2);
    const err = await extractListed(nodeExec, later, root, 2, earlier).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DiracosErrors);
    expect((err as DiracosErrors).problems.map((p) => p.message)).toEqual(['aliased.rpm: ./usr/lib/x is a symlink but ./lib/x, the same path, is a file in aliased.rpm']);
    expect(existsSync(join(root, 'usr/lib/x'))).toBe(false);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses entries cpio would skip with a message but exit 0: a symlink without target, a "." that is no directory', async () => {
    const root = freshRoot('skipped');
    const rpm = spliceRpm(good, join(work, 'skipped.rpm'), [
      { name: '.', mode: 0o120777, data: '/tmp' },
      { name: './usr', mode: 0o40755 },
      { name: './usr/empty-link', mode: 0o120777, data: '' },
    ]);
    const plain = await nodeExec('bash', ['-c', 'rpm2cpio "$1" | cpio -idmu --no-absolute-filenames --quiet 2>&1; echo "exit $?"', 'x', rpm], { cwd: freshRoot('plain-skipped') });
    expect(plain.stdout).toMatch(/cannot remove current \.[\s\S]*Cannot symlink to .\.\/usr\/empty-link.[\s\S]*exit 0/);
    const err = await refusal(rpm, root);
    expect(err.problems.map((p) => p.message)).toEqual([
      'skipped.rpm: ./usr/empty-link is a symlink without a target (cpio cannot make it)',
      'skipped.rpm: . is a symlink; the payload\'s top may only be a directory',
    ]);
    expect(readdirSync(root)).toEqual([]);
  });

  it('refuses a name cpio cannot create (a component over 255 bytes) before writing any of the set', async () => {
    const root = freshRoot('long');
    const other = spliceRpm(good, join(work, 'other.rpm'), [{ name: './other', mode: 0o100644, data: 'x' }]);
    const long = spliceRpm(good, join(work, 'long.rpm'), [
      { name: './usr', mode: 0o40755 },
      { name: `./usr/${'n'.repeat(256)}`, mode: 0o100644, data: 'x' },
      { name: `./usr/${'m'.repeat(255)}`, mode: 0o100644, data: 'x' },
    ]);
    const listed = await listPayloads(nodeExec, [other, long], root, 1);
    const err = await extractListed(nodeExec, listed, root, 1).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DiracosErrors);
    expect((err as DiracosErrors).problems.map((p) => p.message)).toEqual([`long.rpm: ./usr/${'n'.repeat(256)} has a component of 256 bytes (a file name holds at most 255)`]);
    expect(readdirSync(root)).toEqual([]);
  });

  it('lists what cpio writes: hard links with their data last, a trailer before the end, a crc archive with wrong checksums', async () => {
    const root = freshRoot('agree');
    const links = spliceRpm(good, join(work, 'links.rpm'), [
      { name: './usr', mode: 0o40755 },
      { name: './usr/a', mode: 0o100644, nlink: 3, ino: 77 },
      { name: './usr/b', mode: 0o100644, nlink: 3, ino: 77 },
      { name: './usr/c', mode: 0o100644, nlink: 3, ino: 77, data: 'shared' },
      { name: './usr/empty1', mode: 0o100644, nlink: 2, ino: 78 },
      { name: './usr/empty2', mode: 0o100644, nlink: 2, ino: 78 },
      { name: 'TRAILER!!!', mode: 0o100644 },
      { name: './usr/after-trailer', mode: 0o100644, data: 'never' },
    ]);
    const entries = await extractRpm(nodeExec, links, root);
    expect(entries.map((e) => e.name)).toEqual(['./usr', './usr/a', './usr/b', './usr/c', './usr/empty1', './usr/empty2']);
    expect(readdirSync(join(root, 'usr')).sort()).toEqual(['a', 'b', 'c', 'empty1', 'empty2']);
    expect(['a', 'b', 'c'].map((f) => readFileSync(join(root, 'usr', f), 'utf8'))).toEqual(['shared', 'shared', 'shared']);
    expect(lstatSync(join(root, 'usr/a')).ino).toBe(lstatSync(join(root, 'usr/c')).ino);
    expect(lstatSync(join(root, 'usr/empty1')).size).toBe(0);
    // 070702 throughout (the trailer too), every checksum 0: the listing reads it as cpio does; cpio writes the
    // archive's bytes, says "checksum error" and exits 0, which the extraction takes for the failure it is.
    const crc = spliceRpm(good, join(work, 'crc.rpm'), [{ name: './crc', mode: 0o100644, data: 'checked?', magic: '070702' }], {
      archive: (cpio) => Buffer.from(cpio.toString('latin1').replaceAll('070701', '070702'), 'latin1'),
    });
    const listed = await listPayloads(nodeExec, [crc], root, 1);
    expect(listed.map((l) => [l.entries.map((e) => e.name), l.problems])).toEqual([[['./crc'], []]]);
    await expect(extractListed(nodeExec, listed, root, 1)).rejects.toThrow(/extracting crc\.rpm failed \(cpio exited with 0\): cpio: \.\/crc: checksum error/);
  });

  it('leaves no decompressed payload behind: after an extraction, a refusal, or a listing never extracted', async () => {
    const dir = mkdtempSync(join(work, 'scratch-'));
    const root = join(dir, 'root');
    mkdirSync(root);
    await extractRpm(nodeExec, good, root);
    await refusal(tampered, root);
    const listed = await listPayloads(nodeExec, [good, tampered], root, 2);
    expect(listed.map((l) => existsSync(l.archive ?? ''))).toEqual([true, false]);
    expect(readdirSync(dir).filter((f) => f.startsWith('root.payloads-'))).toHaveLength(1);
    discardListed(listed);
    expect(readdirSync(dir)).toEqual(['root']);
  });

  it('extracts setuid, setgid and world-writable entries rpmbuild made, and the mode pass strips and names each', async () => {
    const rpm = buildRpm(
      join(work, 'modes'),
      'modepkg',
      ['%attr(4755,root,root) /usr/bin/suid', '%attr(2711,root,root) /usr/bin/sgid', '%attr(0666,root,root) /usr/share/modepkg/open', '%dir %attr(1777,root,root) /var/spool/drop', '%dir %attr(0777,root,root) /var/spool/open-dir'].join('\n'),
      'mkdir -p %{buildroot}/usr/bin %{buildroot}/var/spool/drop %{buildroot}/var/spool/open-dir\necho s > %{buildroot}/usr/bin/suid\necho g > %{buildroot}/usr/bin/sgid\necho o > %{buildroot}/usr/share/modepkg/open',
    );
    const root = freshRoot('modes');
    await extractRpm(nodeExec, rpm, root);
    const mode = (rel: string) => (lstatSync(join(root, rel)).mode & 0o7777).toString(8);
    // The payload really carries them (cpio restores them).
    expect([mode('usr/bin/suid'), mode('usr/bin/sgid'), mode('usr/share/modepkg/open'), mode('var/spool/drop'), mode('var/spool/open-dir')]).toEqual(['4755', '2711', '666', '1777', '777']);
    const changes = stripModes(root);
    expect(changes.map((c) => [c.rel, c.kind, c.verdict.rules.map((r) => r.name).join('+'), c.verdict.to.toString(8)]).sort()).toEqual([
      ['usr/bin/sgid', 'file', 'setgid', '711'],
      ['usr/bin/suid', 'file', 'setuid', '755'],
      ['usr/share/modepkg/open', 'file', 'world-writable', '664'],
      ['var/spool/drop', 'directory', 'world-writable', '1775'],
      ['var/spool/open-dir', 'directory', 'world-writable', '775'],
    ]);
    expect([mode('usr/bin/suid'), mode('usr/bin/sgid'), mode('usr/share/modepkg/open'), mode('var/spool/drop'), mode('var/spool/open-dir')]).toEqual(['755', '711', '664', '1775', '775']);
    // Symlinks are never judged; a second pass finds nothing.
    expect(lstatSync(join(root, 'usr/lib/abs-link')).isSymbolicLink()).toBe(true);
    expect(stripModes(root)).toEqual([]);
  });
});
