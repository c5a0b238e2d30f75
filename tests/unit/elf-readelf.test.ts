// The ELF reader against binutils' readelf, over every ELF of this machine's /usr/bin and
// /usr/lib/<multiarch> (thousands of real files): the expected values come from readelf, never from here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isElfFile, readElf, newestVersions } from '../../src/elf/index.js';
import { readelfFacts } from '../fixtures/bundle/readelf.js';

/** readelf's wording for the machines met on a Debian host. */
const MACHINE_TEXT: Record<string, number> = {
  'Advanced Micro Devices X86-64': 62,
  'Intel 80386': 3,
  AArch64: 183,
  'IBM S/390': 22,
};

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (entry.isFile() && statSync(p).size > 0 && isElfFile(p)) out.push(p);
  }
  return out;
}

const multiarch = ({ x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' } as Record<string, string>)[process.arch];
const files = [...walk('/usr/bin'), ...walk(join('/usr/lib', multiarch))].sort();

describe('readElf agrees with readelf', () => {
  it('finds hundreds of ELF files to compare', () => {
    expect(files.length).toBeGreaterThan(300);
  });

  it('reads class, machine, type, interpreter, NEEDED, SONAME, RPATH, RUNPATH and version needs like readelf', () => {
    const facts = readelfFacts(files);
    const mismatches: string[] = [];
    let withVersions = 0;
    let withSoname = 0;
    for (const file of files) {
      const want = facts.get(file);
      if (!want) {
        mismatches.push(`${file}: readelf said nothing`);
        continue;
      }
      const got = readElf(file);
      const same =
        got.elfClass === want.elfClass &&
        got.endian === want.endian &&
        got.machine === MACHINE_TEXT[want.machineText] &&
        got.type === want.type &&
        got.interpreter === want.interpreter &&
        JSON.stringify(got.needed) === JSON.stringify(want.needed) &&
        got.soname === want.soname &&
        got.rpath === want.rpath &&
        got.runpath === want.runpath &&
        JSON.stringify(got.versionNeeds) === JSON.stringify(want.versionNeeds);
      if (!same) mismatches.push(`${file}:\n  got  ${JSON.stringify(got)}\n  want ${JSON.stringify(want)}`);
      if (got.versionNeeds.length > 0) withVersions++;
      if (got.soname) withSoname++;
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    // The comparison covered the interesting fields, not only empty ones.
    expect(withVersions).toBeGreaterThan(100);
    expect(withSoname).toBeGreaterThan(100);
  });

  it('computes the newest GLIBC / GLIBCXX / CXXABI needed by a C++ program, as readelf -V lists them', () => {
    const cxx = files.find((f) => readElf(f).needed.some((n) => n.startsWith('libstdc++')));
    expect(cxx, 'a libstdc++ user on this machine').toBeDefined();
    const want = readelfFacts([cxx as string]).get(cxx as string);
    const newest = newestVersions(readElf(cxx as string).versionNeeds);
    const byFamily = (family: string) =>
      (want?.versionNeeds ?? [])
        .flatMap((n) => n.versions)
        .filter((v) => v.startsWith(`${family}_`) && /\d$/.test(v))
        .map((v) => v.slice(family.length + 1))
        .sort((a, b) => a.split('.').map(Number).reduce((acc, x, i) => acc || x - (Number(b.split('.')[i]) || 0), 0) || a.length - b.length)
        .at(-1);
    for (const family of ['GLIBC', 'GLIBCXX', 'CXXABI']) expect(newest[family], family).toBe(byFamily(family));
    expect(newest.GLIBCXX).toMatch(/^3\.4\.\d+$/);
  });
});
