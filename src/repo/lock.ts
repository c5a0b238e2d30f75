import { join } from 'node:path';
import { acquireLock, type Lock, type LockOptions } from '../shared/lock.js';

/** The lock file of a repository: whoever holds it is the only one writing the repository. */
export function repositoryLockFile(root: string): string {
  return join(root, '.diracos-lock');
}

/**
 * Locks a repository for a build or a merge (two runs writing one repository at once lose index entries).
 * Take it before anything is written into the repository (a cache restore included) and release it after.
 */
export function lockRepository(root: string, opts: Omit<LockOptions, 'what'> = {}): Promise<Lock> {
  return acquireLock(repositoryLockFile(root), { ...opts, what: `the repository ${root}` });
}
