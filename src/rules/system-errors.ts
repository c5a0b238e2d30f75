/**
 * Errors of the machine rather than of this program: a full disk, a quota, a read-only or failing file
 * system, missing permissions. They are reported as one clear line naming what was being done and the
 * path, with what the user can do, never as an "internal error" with a stack trace.
 */
import { DiracosError } from '../shared/errors.js';

export const SYSTEM_ERRORS: Readonly<Record<string, { what: string; hint: string }>> = {
  ENOSPC: { what: 'no space left on the device', hint: 'free space there, or use a work folder (--workdir) on a larger file system' },
  EDQUOT: { what: 'disk quota exceeded', hint: 'free space within the quota, or use a work folder (--workdir) elsewhere' },
  EROFS: { what: 'read-only file system', hint: 'use a writable work folder (--workdir)' },
  EACCES: { what: 'permission denied', hint: 'check the owner and mode of the folder, or use a work folder (--workdir) you own' },
  EPERM: { what: 'operation not permitted', hint: 'check the owner and mode of the folder, or use a work folder (--workdir) you own' },
  EIO: { what: 'input/output error', hint: 'the disk or network file system is failing; check the system log' },
  EMFILE: { what: 'too many open files', hint: 'raise the limit (ulimit -n) or use fewer --jobs' },
  ENFILE: { what: 'too many open files in the system', hint: 'raise the system limit or use fewer --jobs' },
  ENOTDIR: { what: 'a part of the path is a file, not a folder', hint: 'point the option at a folder' },
};

/** A Node system error: errno code, system call and, often, the path. */
interface SystemError extends Error {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
}

function isSystemError(e: unknown): e is SystemError {
  return e instanceof Error && typeof (e as SystemError).code === 'string' && typeof (e as SystemError).syscall === 'string';
}

/**
 * The DiracosError for a system error of the table, or undefined for anything else (DiracosErrors
 * included). `doing` says what was being done ("writing /x/y.tar.gz"); the error's own path is added
 * when it has one.
 */
export function systemFailure(e: unknown, doing: string): DiracosError | undefined {
  if (!isSystemError(e)) return undefined;
  const rule = SYSTEM_ERRORS[e.code];
  if (!rule) return undefined;
  const path = e.path ? ` (${e.syscall} ${e.path}${e.dest ? ` -> ${e.dest}` : ''})` : '';
  return new DiracosError(`${doing}: ${rule.what}${path} [${e.code}]; ${rule.hint}`);
}
