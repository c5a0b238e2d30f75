/**
 * A lock shared by test processes (vitest runs files in parallel, and several checkouts of this
 * repository may test on one machine): a directory made with mkdir, holding a record of its owner
 * (pid, host, the process's start time). A lock whose owner process is gone (a killed test run) is
 * taken over by the next waiter at once; one without an owner record (just being made, or made by an
 * older version of this helper) only once it is older than LEGACY_STALE_MS.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { processState, thisProcess } from '../../src/shared/process.js';

/** Who holds a lock: a process of this machine, told apart from a later process with the same pid by its start time. */
export interface LockOwner {
  pid: number;
  host: string;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat, field 22); '' when unknown. */
  started: string;
}

const OWNER_FILE = 'owner.json';
/** Longer than vitest's hookTimeout (30 minutes): an ownerless lock this old belongs to no live run. */
export const LEGACY_STALE_MS = 35 * 60_000;

/** This process as a lock owner (src/shared/process.ts tells processes apart: pid, host, start time). */
export function currentOwner(): LockOwner {
  const me = thisProcess();
  return { pid: me.pid, host: me.host, started: me.start ?? '' };
}

/** False only when the owner is known to be gone: no process with its pid, or one started at another time. */
export function ownerAlive(owner: LockOwner): boolean {
  return processState({ pid: owner.pid, host: owner.host, start: owner.started || undefined }) !== 'dead';
}

async function readOwner(lock: string): Promise<LockOwner | undefined> {
  try {
    const o = JSON.parse(await readFile(`${lock}/${OWNER_FILE}`, 'utf8')) as LockOwner;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

/** One attempt: true when this process now holds `lock`. Breaks the lock of a dead owner first. */
export async function tryLock(lock: string): Promise<boolean> {
  try {
    // mkdir is atomic: exactly one process makes the directory (older helpers take it the same way)
    await mkdir(lock);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    await breakIfStale(lock);
    return false;
  }
  // the owner record appears whole (renamed into place); until then the lock counts as young and live
  const tmp = `${lock}/${OWNER_FILE}.tmp-${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, JSON.stringify(currentOwner()) + '\n');
  await rename(tmp, `${lock}/${OWNER_FILE}`);
  return true;
}

/**
 * Removes `lock` when its holder is gone. Two waiters may see the same dead owner: the one that makes
 * `<lock>.break-<pid>-<start>` removes it, after reading the owner again (a new holder's lock stays).
 */
async function breakIfStale(lock: string): Promise<void> {
  const owner = await readOwner(lock);
  if (!owner) {
    const age = Date.now() - (await stat(lock).then((s) => s.mtimeMs, () => Date.now()));
    // an old helper's lock (no owner record), or one being made right now by an old helper
    if (age > LEGACY_STALE_MS) await rm(lock, { recursive: true, force: true });
    return;
  }
  if (ownerAlive(owner)) return;
  const breaker = `${lock}.break-${owner.pid}-${owner.started || 'x'}`;
  try {
    await mkdir(breaker);
  } catch {
    return; // another waiter is breaking it
  }
  try {
    const again = await readOwner(lock);
    if (again && again.pid === owner.pid && again.started === owner.started && again.host === owner.host) await rm(lock, { recursive: true, force: true });
  } finally {
    await rmdir(breaker).catch(() => undefined);
  }
}

/** Runs fn holding `lock`, waiting (every `pollMs`) while a live process holds it. */
export async function withLock<T>(lock: string, fn: () => Promise<T>, pollMs = 2000): Promise<T> {
  while (!(await tryLock(lock))) await new Promise((r) => setTimeout(r, pollMs));
  try {
    return await fn();
  } finally {
    await unlock(lock);
  }
}

/** Releases a lock this process holds (and only then). */
export async function unlock(lock: string): Promise<void> {
  const owner = await readOwner(lock);
  if (owner && owner.pid === process.pid && owner.host === thisProcess().host) await rm(lock, { recursive: true, force: true });
}
