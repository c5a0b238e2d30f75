/**
 * A lock file held by one process at a time (a repository, a work folder). The holder writes who it is
 * (pid, host, command, since when) into a temp file and hard-links it to the lock's name: the link either
 * succeeds, and the lock is ours with all its content, or fails because another process holds it.
 *
 * Another run holding it: we wait (what a release manager who started a second build expects: it runs
 * once the first is done, and finds its packages built), saying so at once and then periodically, up to
 * `timeoutSeconds` (0: fail at once). A lock whose holder is dead (killed, rebooted) is taken over, and
 * the message says so. The lock is released on return, on exit and on SIGINT/SIGTERM/SIGHUP.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Context } from './context.js';
import { DiracosError } from './errors.js';
import { commandLine, describeProcess, onTermination, processState, thisProcess, type ProcessIdentity } from './process.js';

export interface LockHolder extends ProcessIdentity {
  /** The holder's command line. */
  command: string;
  /** When it took the lock (ISO 8601). */
  since: string;
  /** Tells this holding apart from any other (a lock is released only by whoever took it). */
  token: string;
}

export interface LockOptions {
  /** What the lock protects, for messages: "the repository /srv/repo". */
  what: string;
  /** Seconds to wait for another holder; undefined: no limit; 0: fail at once. */
  timeoutSeconds?: number;
  /** Told once we have to wait, then every `noticeSeconds` while waiting. */
  onWait?: (message: string) => void;
  /** Told when a dead holder's lock is taken over. */
  onTakeover?: (message: string) => void;
  /** Seconds between two waiting messages (default 60). */
  noticeSeconds?: number;
  /** Milliseconds between two attempts (default 500). */
  pollMs?: number;
}

export interface Lock {
  readonly file: string;
  release(): Promise<void>;
}

/** A take-over in progress (`<lock>.takeover`) older than this was abandoned by a killed process. */
const TAKEOVER_STALE_MS = 30_000;

/** Locks of this process, by file: a second acquire in the same process waits for the first release. */
const inProcess = new Map<string, Promise<void>>();

/** The lock files held by the work that is running now (inside `holding`): taken again there, a lock is already ours. */
const heldHere = new AsyncLocalStorage<ReadonlySet<string>>();

/**
 * Runs fn holding the lock, released afterwards. Inside fn (and whatever it awaits) the same lock is
 * re-entrant: a step of a build that takes the repository's lock again (a shard merge in beforeBuild)
 * goes on instead of waiting for itself. Other work of the process still waits its turn.
 */
export async function holding<T>(lock: Promise<Lock>, fn: () => Promise<T>): Promise<T> {
  const held = await lock;
  try {
    return await heldHere.run(new Set([...(heldHere.getStore() ?? []), held.file]), fn);
  } finally {
    await held.release();
  }
}

export function describeHolder(h: LockHolder): string {
  const since = new Date(h.since);
  const age = Number.isNaN(since.getTime()) ? '' : ` (${ago(Date.now() - since.getTime())} ago)`;
  return `${describeProcess(h)}, command '${h.command}', since ${h.since}${age}`;
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

export async function acquireLock(file: string, opts: LockOptions): Promise<Lock> {
  if (heldHere.getStore()?.has(file)) return { file, release: async () => undefined };
  // Same process: queue behind the current holder, then take the file lock as usual.
  const before = inProcess.get(file) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((resolve) => (done = resolve));
  const chained = before.then(() => mine);
  inProcess.set(file, chained);
  const leave = () => {
    done();
    if (inProcess.get(file) === chained) inProcess.delete(file);
  };
  await before;
  try {
    return await acquireFile(file, opts, leave);
  } catch (e) {
    leave();
    throw e;
  }
}

async function acquireFile(file: string, opts: LockOptions, leave: () => void): Promise<Lock> {
  await mkdir(dirname(file), { recursive: true });
  const me: LockHolder = {
    ...thisProcess(),
    // For the message another run prints; nothing is parsed from it.
    command: commandLine(),
    since: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  const started = Date.now();
  const pollMs = opts.pollMs ?? 500;
  const noticeMs = (opts.noticeSeconds ?? 60) * 1000;
  let lastNotice: number | undefined;
  for (;;) {
    if (await tryLink(file, me)) break;
    const holder = await readHolder(file);
    if (holder === 'gone') continue;
    if (holder === 'unreadable' || processState(holder) === 'dead') {
      if (await takeOver(file, holder, me)) {
        opts.onTakeover?.(
          holder === 'unreadable'
            ? `${opts.what}: its lock file ${file} was unreadable; taken over`
            : `${opts.what}: taking over the lock left by ${describeHolder(holder)}, which is no longer running`,
        );
      }
      continue;
    }
    const waited = Date.now() - started;
    const where = `${opts.what} is in use by another run: ${describeHolder(holder)}`;
    const remedy =
      holder.host === me.host
        ? `if that process is stuck, stop it (kill ${holder.pid})`
        : `if no such process runs on host ${holder.host}, delete ${file}`;
    if (opts.timeoutSeconds !== undefined && waited >= opts.timeoutSeconds * 1000) {
      throw new DiracosError(`${where}; gave up after ${Math.round(waited / 1000)} s of waiting (lock timeout ${opts.timeoutSeconds} s); ${remedy}`, { file });
    }
    if (lastNotice === undefined || Date.now() - lastNotice >= noticeMs) {
      lastNotice = Date.now();
      const limit = opts.timeoutSeconds === undefined ? 'without a time limit' : `at most ${opts.timeoutSeconds} s`;
      opts.onWait?.(`${where}; waiting for it to finish (${limit}, waited ${Math.round(waited / 1000)} s so far; ${remedy})`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const releaseSync = () => {
    try {
      if ((JSON.parse(readFileSync(file, 'utf8')) as LockHolder).token === me.token) unlinkSync(file);
    } catch {
      // Already gone.
    }
  };
  const unregister = onTermination(releaseSync);
  let released = false;
  return {
    file,
    release: async () => {
      if (released) return;
      released = true;
      unregister();
      releaseSync();
      leave();
    },
  };
}

/** Creates the lock file with `holder` in it, in one step; false when it exists. */
async function tryLink(file: string, holder: LockHolder): Promise<boolean> {
  const tmp = `${file}.${holder.token}.tmp`;
  await writeFile(tmp, JSON.stringify(holder) + '\n');
  try {
    await link(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new DiracosError(`cannot create the lock file ${file}: ${(e as Error).message}`, { file });
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

async function readHolder(file: string): Promise<LockHolder | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw new DiracosError(`cannot read the lock file ${file}: ${(e as Error).message}`, { file });
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    if (typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.token === 'string') return h;
  } catch {
    // A lock file is linked in whole: garbage is not ours.
  }
  return 'unreadable';
}

/**
 * Removes a dead holder's lock file, unless another process did so (and maybe took the lock) meanwhile:
 * under `<lock>.takeover`, re-read and removed only if it is still the dead one. True when we removed it.
 */
async function takeOver(file: string, dead: LockHolder | 'unreadable', me: LockHolder): Promise<boolean> {
  const guard = `${file}.takeover`;
  if (!(await tryLink(guard, me))) {
    const age = await stat(guard).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > TAKEOVER_STALE_MS) await unlink(guard).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    return false;
  }
  try {
    const now = await readHolder(file);
    const same = now === 'unreadable' ? dead === 'unreadable' : now !== 'gone' && dead !== 'unreadable' && now.token === dead.token;
    if (!same) return false;
    await unlink(file).catch(() => undefined);
    return true;
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

/** How long a run waits for another one that holds the work folder or the repository. */
export interface LockWait {
  /** Seconds; undefined: as long as it takes (saying so every minute); 0: fail at once. */
  lockTimeoutSeconds?: number;
}

/** Lock options whose messages go to the reporter: a warning when the wait starts, then a line a minute. */
export function lockOptions(ctx: Pick<Context, 'reporter'>, opts: LockWait = {}) {
  let waited = false;
  return {
    timeoutSeconds: opts.lockTimeoutSeconds,
    onWait: (message: string) => {
      if (waited) ctx.reporter.info(message);
      else ctx.reporter.warning(message);
      waited = true;
    },
    onTakeover: (message: string) => ctx.reporter.warning(message),
  };
}

/** The lock of a stage's folder of the work folder (`<dir>/.diracos-lock`). */
export function lockWorkFolder(ctx: Pick<Context, 'reporter'>, dir: string, opts: LockWait = {}): Promise<Lock> {
  return acquireLock(join(dir, '.diracos-lock'), { ...lockOptions(ctx, opts), what: `the work folder ${dir}` });
}
