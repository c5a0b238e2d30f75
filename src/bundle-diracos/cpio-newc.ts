/**
 * The entries of a cpio archive in the "new ASCII" format RPM payloads use (magic 070701, or 070702
 * with checksums), read from a decompressed payload file with positional reads: headers, names and
 * symlink targets only, the file data is skipped, never read. Pure: no tools, no policy (what a
 * bundle may hold is decided by the caller on the raw bytes returned here).
 *
 * Layout (cpio(5)): a 110-byte header of the magic and 13 eight-digit hexadecimal fields, the name
 * (namesize bytes, NUL included), padding to a multiple of 4, the data (filesize bytes; a symlink's
 * data is its target), padding to 4. The entry named TRAILER!!! ends the archive.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const HEADER_BYTES = 110;
const MAGICS = new Set(['070701', '070702']);
const TRAILER = 'TRAILER!!!';
/** Linux's PATH_MAX less its NUL: no longer name or symlink target can be created by cpio anyway. */
export const MAX_PATH_BYTES = 4095;
export type EntryKind = 'file' | 'dir' | 'symlink' | 'char-device' | 'block-device' | 'fifo' | 'socket';

/** st_mode's type bits (S_IFMT) -> kind. */
const KINDS: ReadonlyMap<number, EntryKind> = new Map([
  [0o100000, 'file'],
  [0o040000, 'dir'],
  [0o120000, 'symlink'],
  [0o020000, 'char-device'],
  [0o060000, 'block-device'],
  [0o010000, 'fifo'],
  [0o140000, 'socket'],
]);
/**
 * GNU cpio skips the data of files and symlinks only: data after a directory, device, fifo or socket it
 * would read as the next header (entries a listing that skipped it never sees).
 */
const WITH_DATA: ReadonlySet<EntryKind> = new Set(['file', 'symlink']);
/** Field order after the magic (cpio(5), "New ASCII Format"). */
const FIELDS = ['ino', 'mode', 'uid', 'gid', 'nlink', 'mtime', 'filesize', 'devmajor', 'devminor', 'rdevmajor', 'rdevminor', 'namesize', 'check'] as const;

export interface NewcEntry {
  /** The name's bytes as stored, without the NUL (e.g. ./usr/bin/python3). */
  name: Buffer;
  /** Full st_mode: type bits and permissions. */
  mode: number;
  /** From the type bits; undefined for bits no file type has. */
  kind?: EntryKind;
  filesize: number;
  /** A symlink's target bytes (its data). */
  target?: Buffer;
}

/** Why an archive cannot be read, with the byte offset where it went wrong. */
export class NewcError extends Error {}

const align4 = (n: number) => (n + 3) & ~3;

/** Every entry of the newc archive in `file`, in order, up to its trailer. Throws NewcError when it is not one. */
export function readNewc(file: string): NewcEntry[] {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const read = (at: number, length: number, what: string): Buffer => {
      const buf = Buffer.alloc(length);
      const n = length === 0 ? 0 : readSync(fd, buf, 0, length, at);
      if (n !== length) throw new NewcError(`the archive ends inside ${what} at byte ${at} (${size} bytes in all)`);
      return buf;
    };
    const entries: NewcEntry[] = [];
    let first: string | undefined;
    for (let at = 0; ; ) {
      const header = read(at, HEADER_BYTES, 'an entry header');
      const magic = header.toString('latin1', 0, 6);
      if (!MAGICS.has(magic)) throw new NewcError(`no cpio "new ASCII" header at byte ${at} (magic ${JSON.stringify(magic)}; RPM payloads use 070701)`);
      // GNU cpio takes the format from the first header and skips any other magic as junk, byte by
      // byte, to the next header of that format: one it may find inside this entry's data.
      first ??= magic;
      if (magic !== first) throw new NewcError(`the header at byte ${at} has the magic ${magic} in an archive of ${first}: cpio would skip it as junk and read on from inside it`);
      const field: Partial<Record<(typeof FIELDS)[number], number>> = {};
      FIELDS.forEach((f, i) => {
        const hex = header.toString('latin1', 6 + 8 * i, 14 + 8 * i);
        if (!/^[0-9a-fA-F]{8}$/.test(hex)) throw new NewcError(`the header at byte ${at} has a field ${f} that is not hexadecimal: ${JSON.stringify(hex)}`);
        field[f] = Number.parseInt(hex, 16);
      });
      const { mode, filesize, namesize } = field as Record<(typeof FIELDS)[number], number>;
      if (namesize < 1 || namesize > MAX_PATH_BYTES + 1) throw new NewcError(`the header at byte ${at} gives a name of ${namesize} bytes (1 to ${MAX_PATH_BYTES + 1} with its NUL)`);
      const rawName = read(at + HEADER_BYTES, namesize, 'an entry name');
      if (rawName[namesize - 1] !== 0) throw new NewcError(`the name at byte ${at + HEADER_BYTES} does not end with a NUL`);
      const name = rawName.subarray(0, namesize - 1);
      const dataAt = align4(at + HEADER_BYTES + namesize);
      if (name.toString('latin1') === TRAILER) return entries;
      if (name.includes(0)) throw new NewcError(`the name at byte ${at + HEADER_BYTES} holds a NUL byte`);
      if (dataAt + filesize > size) throw new NewcError(`the archive ends inside the data of ${JSON.stringify(name.toString('latin1'))} (entry at byte ${at})`);
      const kind = KINDS.get(mode & 0o170000);
      if (filesize !== 0 && kind !== undefined && !WITH_DATA.has(kind)) {
        throw new NewcError(`${JSON.stringify(name.toString('latin1'))} (entry at byte ${at}, mode ${mode.toString(8)}) carries ${filesize} bytes of data: cpio would read them as the next header`);
      }
      const entry: NewcEntry = { name, mode, kind, filesize };
      if (kind === 'symlink') {
        if (filesize > MAX_PATH_BYTES) throw new NewcError(`the symlink ${JSON.stringify(name.toString('latin1'))} has a target of ${filesize} bytes (at most ${MAX_PATH_BYTES})`);
        entry.target = read(dataAt, filesize, 'a symlink target');
      }
      entries.push(entry);
      at = align4(dataAt + filesize);
    }
  } finally {
    closeSync(fd);
  }
}
