/**
 * A small, pure ELF reader: just what a bundler needs to know about a binary
 * (class, machine, interpreter, DT_NEEDED / SONAME / RPATH / RUNPATH and the symbol
 * versions required from each library). Reads only the headers and tables it needs
 * through positioned reads, so a 2 GiB library costs a few kilobytes, and every
 * offset and count from the file is checked before use: a truncated or hostile file
 * gives an ElfError, never a crash, a loop or a huge allocation.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { DiracosError } from '../shared/errors.js';
import {
  DT_NEEDED,
  DT_NULL,
  DT_RPATH,
  DT_RUNPATH,
  DT_SONAME,
  DT_STRSZ,
  DT_STRTAB,
  DT_VERNEED,
  DT_VERNEEDNUM,
  ELF_MAGIC,
  ELFCLASS,
  ELFDATA,
  EM_NAMES,
  ET_NAMES,
  LIMITS,
  PT_DYNAMIC,
  PT_INTERP,
  PT_LOAD,
} from './constants.js';

/** The versions (e.g. GLIBC_2.14) an object requires from one library (DT_VERNEED). */
export interface VersionNeed {
  file: string;
  versions: string[];
}

export interface ElfInfo {
  elfClass: 32 | 64;
  endian: 'little' | 'big';
  /** e_type: EXEC, DYN, REL, CORE (or the number). */
  type: string;
  /** e_machine as a number and a name (x86_64, aarch64, ...; `em<N>` when unknown). */
  machine: number;
  machineName: string;
  /** PT_INTERP, e.g. /lib64/ld-linux-x86-64.so.2. */
  interpreter?: string;
  needed: string[];
  soname?: string;
  /** DT_RPATH / DT_RUNPATH as written (colon-separated), before $ORIGIN expansion. */
  rpath?: string;
  runpath?: string;
  versionNeeds: VersionNeed[];
}

export class ElfError extends DiracosError {
  constructor(file: string, reason: string) {
    super(`${file}: not a readable ELF file: ${reason}`, { file });
    this.name = 'ElfError';
  }
}

/** Positioned reads over a file or a buffer. */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Buffer;
}

export function bufferSource(buf: Buffer): ByteSource {
  return {
    size: buf.length,
    read: (offset, length) => buf.subarray(offset, offset + length),
  };
}

function fdSource(fd: number): ByteSource {
  const size = fstatSync(fd).size;
  return {
    size,
    read(offset, length) {
      const out = Buffer.alloc(length);
      const n = readSync(fd, out, 0, length, offset);
      return n === length ? out : out.subarray(0, n);
    },
  };
}

/** True when the file starts with the ELF magic (false for directories, short files, unreadable ones). */
export function isElfFile(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.equals(ELF_MAGIC);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function isElfBuffer(buf: Buffer): boolean {
  return buf.length >= 4 && buf.subarray(0, 4).equals(ELF_MAGIC);
}

/** Reads one ELF file from disk. */
export function readElf(path: string): ElfInfo {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new ElfError(path, (e as Error).message);
  }
  try {
    return parseElf(fdSource(fd), path);
  } finally {
    closeSync(fd);
  }
}

interface Segment {
  type: number;
  offset: number;
  vaddr: bigint;
  filesz: number;
}

/** Parses an ELF image; `name` is only used in error messages. */
export function parseElf(src: ByteSource, name = '<buffer>'): ElfInfo {
  const fail = (reason: string): never => {
    throw new ElfError(name, reason);
  };
  /** A checked read: the whole range must lie inside the file. */
  const bytes = (offset: number, length: number, what: string): Buffer => {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > src.size) {
      return fail(`${what} at offset ${offset} (+${length}) lies outside the file (${src.size} bytes)`);
    }
    const b = src.read(offset, length);
    return b.length === length ? b : fail(`short read of ${what}`);
  };

  const ident = bytes(0, 16, 'ELF identification');
  if (!ident.subarray(0, 4).equals(ELF_MAGIC)) fail('bad magic');
  const elfClass = ELFCLASS[ident[4] as 1 | 2] ?? fail(`unknown class ${ident[4]}`);
  const endian = ELFDATA[ident[5] as 1 | 2] ?? fail(`unknown data encoding ${ident[5]}`);
  const le = endian === 'little';
  const is64 = elfClass === 64;

  const u16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const u64 = (b: Buffer, o: number) => (le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o));
  /** An address-sized field (Elf32_Addr / Elf64_Addr). */
  const addr = (b: Buffer, o: number): bigint => (is64 ? u64(b, o) : BigInt(u32(b, o)));
  const toNum = (v: bigint, what: string): number =>
    v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : fail(`${what} ${v} is out of range`);

  const ehdr = bytes(0, is64 ? 64 : 52, 'ELF header');
  const eType = u16(ehdr, 16);
  const machine = u16(ehdr, 18);
  const phoff = toNum(addr(ehdr, is64 ? 32 : 28), 'e_phoff');
  const phentsize = u16(ehdr, is64 ? 54 : 42);
  const phnum = u16(ehdr, is64 ? 56 : 44);

  const segments: Segment[] = [];
  if (phnum > 0) {
    const minEnt = is64 ? 56 : 32;
    if (phentsize < minEnt) fail(`program header entry size ${phentsize} < ${minEnt}`);
    if (phnum > LIMITS.maxProgramHeaders) fail(`${phnum} program headers`);
    const table = bytes(phoff, phentsize * phnum, 'program header table');
    for (let i = 0; i < phnum; i++) {
      const o = i * phentsize;
      segments.push(
        is64
          ? { type: u32(table, o), offset: toNum(u64(table, o + 8), 'p_offset'), vaddr: u64(table, o + 16), filesz: toNum(u64(table, o + 32), 'p_filesz') }
          : { type: u32(table, o), offset: u32(table, o + 4), vaddr: BigInt(u32(table, o + 8)), filesz: u32(table, o + 16) },
      );
    }
  }

  /** NUL-terminated string at `offset`, within `limit` bytes. */
  const cstring = (offset: number, limit: number, what: string): string => {
    const max = Math.min(limit, LIMITS.maxString, src.size - offset);
    if (offset < 0 || max <= 0) return fail(`${what} at offset ${offset} lies outside the file`);
    const b = bytes(offset, max, what);
    const end = b.indexOf(0);
    return end < 0 ? fail(`${what} is not NUL-terminated`) : b.toString('utf8', 0, end);
  };

  const info: ElfInfo = {
    elfClass,
    endian,
    type: ET_NAMES[eType] ?? String(eType),
    machine,
    machineName: EM_NAMES[machine] ?? `em${machine}`,
    needed: [],
    versionNeeds: [],
  };

  const interp = segments.find((s) => s.type === PT_INTERP);
  if (interp) info.interpreter = cstring(interp.offset, interp.filesz, 'PT_INTERP');

  const dyn = segments.find((s) => s.type === PT_DYNAMIC);
  if (!dyn) return info;

  // Dynamic entries; the addresses they hold are virtual, mapped to file offsets through PT_LOAD.
  const entSize = is64 ? 16 : 8;
  const count = Math.min(Math.floor(dyn.filesz / entSize), LIMITS.maxDynamicEntries);
  const table = bytes(dyn.offset, count * entSize, 'dynamic section');
  const entries: Array<[bigint, bigint]> = [];
  for (let i = 0; i < count; i++) {
    const o = i * entSize;
    const tag = is64 ? u64(table, o) : BigInt(u32(table, o));
    if (tag === DT_NULL) break;
    entries.push([tag, addr(table, o + entSize / 2)]);
  }
  const first = (tag: bigint) => entries.find(([t]) => t === tag)?.[1];
  const toOffset = (vaddr: bigint, what: string): number => {
    const load = segments.find((s) => s.type === PT_LOAD && vaddr >= s.vaddr && vaddr < s.vaddr + BigInt(s.filesz));
    return load ? load.offset + Number(vaddr - load.vaddr) : fail(`${what} address 0x${vaddr.toString(16)} is in no loaded segment`);
  };

  const strtabAddr = first(DT_STRTAB);
  if (strtabAddr === undefined) {
    if (entries.some(([t]) => [DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH].includes(t))) fail('dynamic section without DT_STRTAB');
    return info;
  }
  const strtab = toOffset(strtabAddr, 'DT_STRTAB');
  const strsz = toNum(first(DT_STRSZ) ?? BigInt(src.size - strtab), 'DT_STRSZ');
  const dynString = (v: bigint, what: string): string => {
    const off = toNum(v, what);
    if (off >= strsz) fail(`${what} string offset ${off} is past DT_STRSZ ${strsz}`);
    return cstring(strtab + off, strsz - off, what);
  };

  for (const [tag, val] of entries) {
    if (tag === DT_NEEDED) info.needed.push(dynString(val, 'DT_NEEDED'));
    else if (tag === DT_SONAME) info.soname = dynString(val, 'DT_SONAME');
    else if (tag === DT_RPATH) info.rpath = dynString(val, 'DT_RPATH');
    else if (tag === DT_RUNPATH) info.runpath = dynString(val, 'DT_RUNPATH');
  }

  // .gnu.version_r: Elf_Verneed { u16 version, u16 cnt, u32 file, u32 aux, u32 next }
  // followed by Elf_Vernaux { u32 hash, u16 flags, u16 other, u32 name, u32 next }; same layout for both classes.
  const verneedAddr = first(DT_VERNEED);
  if (verneedAddr !== undefined) {
    const num = toNum(first(DT_VERNEEDNUM) ?? 0n, 'DT_VERNEEDNUM');
    if (num > LIMITS.maxVerneed) fail(`DT_VERNEEDNUM ${num}`);
    let at = toOffset(verneedAddr, 'DT_VERNEED');
    for (let i = 0; i < num; i++) {
      const vn = bytes(at, 16, 'Elf_Verneed');
      const cnt = u16(vn, 2);
      if (cnt > LIMITS.maxVernaux) fail(`Elf_Verneed count ${cnt}`);
      const need: VersionNeed = { file: dynString(BigInt(u32(vn, 4)), 'vn_file'), versions: [] };
      let auxAt = at + u32(vn, 8);
      for (let j = 0; j < cnt; j++) {
        const aux = bytes(auxAt, 16, 'Elf_Vernaux');
        need.versions.push(dynString(BigInt(u32(aux, 8)), 'vna_name'));
        const next = u32(aux, 12);
        if (next === 0) break;
        auxAt += next;
      }
      info.versionNeeds.push(need);
      const next = u32(vn, 12);
      if (next === 0) break;
      at += next;
    }
  }
  return info;
}
