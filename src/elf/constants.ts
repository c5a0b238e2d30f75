/** ELF numbers this reader needs (System V gABI and the GNU extensions), as tables. */

export const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

export const ELFCLASS = { 1: 32, 2: 64 } as const;
export const ELFDATA = { 1: 'little', 2: 'big' } as const;

export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;

export const DT_NULL = 0n;
export const DT_NEEDED = 1n;
export const DT_STRTAB = 5n;
export const DT_STRSZ = 10n;
export const DT_SONAME = 14n;
export const DT_RPATH = 15n;
export const DT_RUNPATH = 29n;
export const DT_VERNEED = 0x6ffffffen;
export const DT_VERNEEDNUM = 0x6fffffffn;

export const ET_NAMES: Readonly<Record<number, string>> = {
  0: 'NONE',
  1: 'REL',
  2: 'EXEC',
  3: 'DYN',
  4: 'CORE',
};

/** e_machine values we may meet in a bundle, with readelf's wording for the common ones. */
export const EM_NAMES: Readonly<Record<number, string>> = {
  3: 'i386',
  8: 'mips',
  20: 'ppc',
  21: 'ppc64',
  22: 's390',
  40: 'arm',
  62: 'x86_64',
  183: 'aarch64',
  243: 'riscv',
};

/** Hard limits so a hostile header cannot make us loop or allocate without bound. */
export const LIMITS = {
  maxProgramHeaders: 4096,
  maxDynamicEntries: 65536,
  maxVerneed: 4096,
  maxVernaux: 4096,
  maxString: 64 * 1024,
} as const;
