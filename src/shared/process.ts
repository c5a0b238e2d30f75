/**
 * This process as other processes see it (lock holders, container owners), and what it must undo when it
 * is told to stop (SIGINT, SIGTERM, SIGHUP) or exits.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** A process, recognisable from another one: host, pid and (on Linux) its start time, which tells a reused pid apart. */
export interface ProcessIdentity {
  host: string;
  pid: number;
  /** Start time in clock ticks since boot (/proc/<pid>/stat field 22), when known. */
  start?: string;
}

/** State letter and start time of a process of this host (Linux), or undefined. */
function procStat(pid: number): { state: string; start: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses; starttime is the 20th field after state.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, start: fields[19]! };
  } catch {
    return undefined;
  }
}

let self: ProcessIdentity | undefined;
export function thisProcess(): ProcessIdentity {
  self ??= { host: hostname(), pid: process.pid, start: procStat(process.pid)?.start };
  return self;
}

/** This process's command line as `ps` shows it (from /proc, where a launcher's rewriting of process.argv does not reach). */
export function commandLine(): string {
  try {
    const argv = readFileSync('/proc/self/cmdline', 'utf8').split('\0').filter((a, i, all) => a !== '' || i < all.length - 1);
    if (argv.length > 0) return argv.join(' ');
  } catch {
    // Not Linux: node's view.
  }
  return [process.argv0, ...process.argv.slice(1)].join(' ');
}

/** Whether a process still runs: `unknown` for one of another host (a shared filesystem), which cannot be checked. */
export function processState(p: ProcessIdentity): 'alive' | 'dead' | 'unknown' {
  if (p.host !== hostname()) return 'unknown';
  if (!Number.isInteger(p.pid) || p.pid <= 0) return 'dead';
  try {
    process.kill(p.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return 'dead';
  }
  const now = procStat(p.pid);
  // A zombie (killed, not yet reaped by its parent) runs no more; another start time is another process.
  if (now?.state === 'Z' || (p.start !== undefined && now !== undefined && now.start !== p.start)) return 'dead';
  return 'alive';
}

/** Whether a process of this machine with this pid still runs (a zombie does not). */
export function pidAlive(pid: number): boolean {
  return processState({ host: hostname(), pid }) === 'alive';
}

/** "pid 123 on host h" */
export function describeProcess(p: ProcessIdentity): string {
  return `pid ${p.pid} on host ${p.host}`;
}

/** The signals a run is stopped with: Ctrl-C and a runner's cancellation, `kill`, a closed terminal. */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = (typeof SIGNALS)[number];

const hooks = new Set<() => void>();
let installed = false;

function runHooks(): void {
  for (const hook of [...hooks]) {
    hooks.delete(hook);
    try {
      hook();
    } catch {
      // Best effort: the next hook still runs.
    }
  }
}

function onSignal(signal: StopSignal): void {
  runHooks();
  // Another handler (an embedding program's) decides whether the process ends.
  if (process.listenerCount(signal) > 1) return;
  // Nobody else: die of the signal as if there had been no handler (the shell shows 128 + n).
  process.removeListener(signal, signalListeners[signal]);
  process.kill(process.pid, signal);
}

const signalListeners: Record<StopSignal, () => void> = {
  SIGINT: () => onSignal('SIGINT'),
  SIGTERM: () => onSignal('SIGTERM'),
  SIGHUP: () => onSignal('SIGHUP'),
};

/**
 * Runs `hook` (synchronous, best effort) when this process exits or is stopped by SIGINT, SIGTERM or SIGHUP;
 * after the hooks a signal ends the process with its conventional status. Returns the function that
 * unregisters the hook (call it once the thing to undo is gone).
 */
export function onTermination(hook: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on('exit', runHooks);
    for (const signal of SIGNALS) process.on(signal, signalListeners[signal]);
  }
  hooks.add(hook);
  return () => void hooks.delete(hook);
}
