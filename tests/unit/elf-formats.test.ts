// ELF32/ELF64, little and big endian: tiny objects built here with real binutils, read back and
// compared with readelf; then truncated and corrupted files must give an ElfError, nothing else.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ElfError, bufferSource, isElfBuffer, parseElf, readElf } from '../../src/elf/index.js';
import { readelfFacts } from '../fixtures/bundle/readelf.js';
import { TARGETS, available, buildTiny } from '../fixtures/bundle/tiny-elf.js';

const work = mkdtempSync(join(tmpdir(), 'elf-formats-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('ELF classes and byte orders', () => {
  it('has at least one 32-bit and one 64-bit target; big endian when cross binutils are installed', () => {
    const names = TARGETS.filter(available).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['x86_64', 'i386']));
  });

  for (const target of TARGETS) {
    it.runIf(available(target))(`${target.name}: matches readelf for RUNPATH and RPATH builds`, () => {
      for (const newDtags of [true, false]) {
        const dir = join(work, `${target.name}-${newDtags}`);
        const { lib, user } = buildTiny(target, dir, { rpath: '$ORIGIN/../lib:/opt/x', newDtags });
        const facts = readelfFacts([lib, user]);
        for (const file of [lib, user]) {
          const got = readElf(file);
          const want = facts.get(file);
          expect(want).toBeDefined();
          expect({
            elfClass: got.elfClass,
            endian: got.endian,
            type: got.type,
            interpreter: got.interpreter,
            needed: got.needed,
            soname: got.soname,
            rpath: got.rpath,
            runpath: got.runpath,
            versionNeeds: got.versionNeeds,
          }).toEqual({
            elfClass: want?.elfClass,
            endian: want?.endian,
            type: want?.type,
            interpreter: want?.interpreter,
            needed: want?.needed,
            soname: want?.soname,
            rpath: want?.rpath,
            runpath: want?.runpath,
            versionNeeds: want?.versionNeeds,
          });
        }
        const u = readElf(user);
        expect(u.versionNeeds.map((n) => n.file)).toEqual(['libfoo.so.1']);
        expect(newDtags ? u.runpath : u.rpath).toBe('$ORIGIN/../lib:/opt/x');
      }
    });
  }
});

/** Parses and says how it went: 'ok', 'ElfError', or the unexpected error's name. */
function outcome(buf: Buffer): string {
  try {
    parseElf(bufferSource(buf), 'x');
    return 'ok';
  } catch (e) {
    return e instanceof ElfError ? 'ElfError' : `${(e as Error).name}: ${(e as Error).message}`;
  }
}

describe('hostile and broken files', () => {
  const ls = readFileSync('/bin/ls');
  const fields = (() => {
    // e_phoff / e_phnum and the PT_DYNAMIC offset of /bin/ls (ELF64 LE), to aim corruptions.
    const phoff = Number(ls.readBigUInt64LE(32));
    const phnum = ls.readUInt16LE(56);
    let dynamic = 0;
    for (let i = 0; i < phnum; i++) if (ls.readUInt32LE(phoff + i * 56) === 2) dynamic = Number(ls.readBigUInt64LE(phoff + i * 56 + 8));
    return { phoff, phnum, dynamic };
  })();

  it('rejects non-ELF and empty input with an ElfError naming the file', () => {
    const f = join(work, 'text');
    writeFileSync(f, '#!/bin/sh\necho hi\n');
    expect(() => readElf(f)).toThrow(ElfError);
    expect(() => readElf(f)).toThrow(f);
    writeFileSync(f, '');
    expect(() => readElf(f)).toThrow(/outside the file/);
    expect(() => readElf(join(work, 'missing'))).toThrow(ElfError);
    expect(isElfBuffer(Buffer.from('\x7fEL'))).toBe(false);
  });

  it('every truncation of /bin/ls is either read or refused with an ElfError', () => {
    const results = new Map<string, number>();
    for (let len = 0; len < ls.length; len += Math.max(1, Math.floor(ls.length / 3000))) {
      const r = outcome(ls.subarray(0, len));
      results.set(r, (results.get(r) ?? 0) + 1);
    }
    expect([...results.keys()].filter((k) => k !== 'ok' && k !== 'ElfError')).toEqual([]);
    expect(results.get('ElfError')).toBeGreaterThan(100);
  });

  it('random corruption of headers and dynamic data never crashes', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const regions = [0, fields.phoff, fields.dynamic];
    const bad: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const copy = Buffer.from(ls);
      for (let k = 0; k < 4; k++) {
        const at = regions[Math.floor(rand() * regions.length)] + Math.floor(rand() * 512);
        copy[at] = Math.floor(rand() * 256);
      }
      const r = outcome(copy);
      if (r !== 'ok' && r !== 'ElfError') bad.push(r);
    }
    expect(bad.slice(0, 3)).toEqual([]);
  });

  it('refuses absurd counts and offsets instead of allocating', () => {
    const phnum = Buffer.from(ls);
    phnum.writeUInt16LE(0xffff, 56);
    expect(outcome(phnum)).toBe('ElfError');
    const phoff = Buffer.from(ls);
    phoff.writeBigUInt64LE(0x7fffffffffffffffn, 32);
    expect(() => parseElf(bufferSource(phoff), 'huge')).toThrow(/out of range|outside the file/);
    // PT_DYNAMIC claiming a terabyte: bounded by the entry limit, then refused as outside the file.
    const dyn = Buffer.from(ls);
    for (let i = 0; i < fields.phnum; i++) {
      if (dyn.readUInt32LE(fields.phoff + i * 56) === 2) dyn.writeBigUInt64LE(1n << 40n, fields.phoff + i * 56 + 32);
    }
    expect(outcome(dyn)).toBe('ElfError');
    // DT_VERNEEDNUM of 4 billion.
    const vn = Buffer.from(ls);
    for (let o = fields.dynamic; vn.readBigUInt64LE(o) !== 0n; o += 16) {
      if (vn.readBigUInt64LE(o) === 0x6fffffffn) vn.writeBigUInt64LE(0xffffffffn, o + 8);
    }
    expect(() => parseElf(bufferSource(vn), 'vn')).toThrow(/DT_VERNEEDNUM/);
  });
});
