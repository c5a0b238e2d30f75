// Extraction of real RPMs (built here with rpmbuild) into a bundle root, and refusal of hostile ones.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractListed, extractRpm, listPayloads } from '../../src/bundle-diracos/extract.js';
import { nodeExec } from '../../src/shared/exec.js';
import { DiracosErrors } from '../../src/shared/errors.js';
import { buildRpm, spliceRpm } from '../fixtures/bundle/hostile-rpm.js';

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

/** The refusal, or a failure if extraction went through. */
async function refusal(rpm: string, root: string): Promise<DiracosErrors> {
  const err = await extractRpm(nodeExec, rpm, root).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DiracosErrors);
  return err as DiracosErrors;
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
    const root = freshRoot('dotdot');
    const rpm = spliceRpm(good, join(work, 'dotdot.rpm'), [
      { name: './usr', mode: 0o40755 },
      { name: '../evil', mode: 0o100644, data: 'x' },
      { name: './usr/../../evil2', mode: 0o100644, data: 'x' },
      { name: '/etc/evil3', mode: 0o100644, data: 'x' },
    ]);
    const err = await refusal(rpm, root);
    expect(err.problems.map((p) => p.message)).toEqual([
      'dotdot.rpm: ../evil is not a ./relative payload path (absolute or foreign layout)',
      "dotdot.rpm: ./usr/../../evil2 climbs out of the root with '..'",
      'dotdot.rpm: /etc/evil3 is not a ./relative payload path (absolute or foreign layout)',
    ]);
    expect(readdirSync(root)).toEqual([]);
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
});
