/**
 * The lead of an RPM file: its first 96 bytes, read without any tool. Its type field says whether the
 * file is a source RPM or a binary one, which is all the manifest checks need (an SRPM given as `rpms`,
 * a binary RPM given as `srpm`).
 *
 * Layout (rpm's lib/rpmlead.c): magic ed ab ee db, major, minor, type (uint16 big-endian: 0 binary,
 * 1 source), archnum (uint16), name (66 bytes, NUL-terminated), osnum, signature_type, 16 reserved bytes.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { DiracosError } from '../shared/errors.js';

export const RPM_LEAD_SIZE = 96;
const MAGIC = Buffer.from([0xed, 0xab, 0xee, 0xdb]);
const TYPES: Readonly<Record<number, RpmLead['type']>> = { 0: 'binary', 1: 'source' };

export interface RpmLead {
  type: 'binary' | 'source';
  /** The lead's name field (N-V-R as rpmbuild wrote it). */
  name: string;
}

/** The lead in the first bytes of a file, or undefined when they are not an RPM lead. */
export function parseRpmLead(head: Uint8Array): RpmLead | undefined {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.length < RPM_LEAD_SIZE || !b.subarray(0, 4).equals(MAGIC)) return undefined;
  const type = TYPES[b.readUInt16BE(6)];
  if (!type) return undefined;
  const nameField = b.subarray(10, 76);
  const end = nameField.indexOf(0);
  return { type, name: nameField.subarray(0, end < 0 ? nameField.length : end).toString('latin1') };
}

/** The lead of a file (synchronous: manifest validation is). */
export function readRpmLeadSync(path: string): RpmLead | undefined {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(RPM_LEAD_SIZE);
    const n = readSync(fd, head, 0, RPM_LEAD_SIZE, 0);
    return parseRpmLead(head.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}

export async function readRpmLead(path: string): Promise<RpmLead | undefined> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(RPM_LEAD_SIZE);
    const { bytesRead } = await handle.read(head, 0, RPM_LEAD_SIZE, 0);
    return parseRpmLead(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** What to do instead, per expected kind, when a file has the other kind (or is no RPM). */
const INSTEAD: Readonly<Record<RpmLead['type'], { key: string; other: string }>> = {
  source: { key: 'srpm', other: 'list it under `rpms:` to put it into the repository as it is' },
  binary: { key: 'rpms', other: 'give it as `srpm:` to rebuild it' },
};

/** Why `lead` (of `file`) is not the `expected` kind of RPM, or undefined when it is. */
export function rpmKindProblem(file: string, lead: RpmLead | undefined, expected: RpmLead['type']): string | undefined {
  const what = expected === 'source' ? 'a source RPM' : 'a binary RPM';
  if (!lead) return `${file} is not an RPM (no RPM lead in its first ${RPM_LEAD_SIZE} bytes); ${INSTEAD[expected].key} takes ${what}`;
  if (lead.type === expected) return undefined;
  return `${file} is ${lead.type === 'binary' ? 'a binary RPM' : 'a source RPM'} (its lead says ${lead.type}: ${lead.name}), not ${what}; ${INSTEAD[expected].other}`;
}

/** Throws a DiracosError naming the package when `file` is not the `expected` kind of RPM. */
export async function assertRpmKind(pkg: string, file: string, expected: RpmLead['type']): Promise<void> {
  const problem = rpmKindProblem(file, await readRpmLead(file), expected);
  if (problem) throw new DiracosError(`package '${pkg}': ${problem}`, { file });
}
