/**
 * File names as bytes: a bundle holds UTF-8 names only (Python, CVMFS catalogues and the tests read
 * them so), and a name that is not is shown with its bytes escaped. Shared by the bundle stage, which
 * refuses such a name, and the static checks, which report it.
 */

/** A file name's bytes for a message: printable ASCII as is, every other byte as \xNN. */
export function escapeBytes(name: Buffer): string {
  let out = '';
  for (const b of name) out += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return out;
}

/** Whether the bytes are valid UTF-8 (they survive a decode and re-encode). */
export function isUtf8(bytes: Buffer): boolean {
  return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
}
