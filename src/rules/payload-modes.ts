/**
 * Which mode bits a bundle never ships. A bundle is unpacked by ordinary users and published on CVMFS:
 * a setuid or setgid program in it is a privilege an RPM must not hand out, and a world-writable file
 * or directory lets any user of the machine change what every job runs. bundle-diracos removes these
 * bits from every file and directory (whatever put them there: an RPM payload, pip, a copy) and names
 * each entry it changed; test-platforms fails a tarball that still has one. Symlinks are never judged
 * (their own mode is always 0777 and means nothing).
 */

export interface ModeRule {
  /** The bits this rule is about. */
  bits: number;
  /** What they are called in messages. */
  name: string;
  /** Why a bundle does not ship them. */
  why: string;
}

export const PAYLOAD_MODE_RULES: readonly ModeRule[] = [
  { bits: 0o4000, name: 'setuid', why: 'would run with the rights of its owner' },
  { bits: 0o2000, name: 'setgid', why: 'would run with the rights of its group' },
  { bits: 0o0002, name: 'world-writable', why: 'any user of the machine could change it' },
];

export interface ModeVerdict {
  /** The permission bits as they are (07777). */
  from: number;
  /** As the bundle ships them: without every matched rule's bits. */
  to: number;
  rules: ModeRule[];
}

/** What is wrong with these mode bits, or undefined when nothing is. */
export function judgeMode(mode: number, rules: readonly ModeRule[] = PAYLOAD_MODE_RULES): ModeVerdict | undefined {
  const from = mode & 0o7777;
  const matched = rules.filter((r) => (from & r.bits) !== 0);
  if (matched.length === 0) return undefined;
  return { from, to: matched.reduce((m, r) => m & ~r.bits, from), rules: matched };
}

/** `setuid, world-writable (4757 -> 0755)`: the verdict in words. */
export function describeVerdict(v: ModeVerdict): string {
  const octal = (n: number) => n.toString(8).padStart(4, '0');
  return `${v.rules.map((r) => r.name).join(', ')} (${octal(v.from)} -> ${octal(v.to)})`;
}
