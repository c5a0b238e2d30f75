import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256File, sha256Object, sha256String, stableStringify } from '../../src/shared/hash.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('shared/hash', () => {
  it('hashes strings with the standard sha256 (FIPS 180-2 vector)', () => {
    expect(sha256String('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes a multi-chunk file by streaming, equal to hashing its bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sources-hash-'));
    dirs.push(dir);
    const data = randomBytes(3 * 1024 * 1024 + 17); // several 64 KiB stream chunks
    await writeFile(join(dir, 'blob'), data);
    expect(await sha256File(join(dir, 'blob'))).toBe(sha256String(data));
    await writeFile(join(dir, 'empty'), '');
    expect(await sha256File(join(dir, 'empty'))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('serialises objects with sorted keys at every level, arrays in order, undefined dropped', () => {
    const a = { b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' }, u: undefined };
    const b = { a: { c: 'x', d: [3, { y: 2, z: 1 }] }, b: 1 };
    expect(stableStringify(a)).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    expect(sha256Object(a)).toBe(sha256Object(b));
    expect(sha256Object([1, 2])).not.toBe(sha256Object([2, 1]));
    expect(sha256Object({ a: 1 })).not.toBe(sha256Object({ a: '1' }));
  });
});
