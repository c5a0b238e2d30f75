/**
 * Containers this process starts: each one named and labelled with its owner (host, pid, start time),
 * removed when the process is stopped (SIGINT, SIGTERM, SIGHUP) or exits, and, when the process was
 * killed without a chance to do so (SIGKILL, a crash of the machine), by the next run on this host.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Exec } from '../shared/exec.js';
import { onTermination, processState, thisProcess, type ProcessIdentity } from '../shared/process.js';

export type Engine = 'docker' | 'podman';

/** Label of every container we start: `<pid>.<start>@<host>` of the process that started it. */
export const OWNER_LABEL = 'org.diracos.owner';
/** The tools containers' label before every container had one (`<host>.<pid>`), still recognised. */
const LEGACY_OWNER_LABEL = 'org.diracos.tools-owner';

/**
 * Removing running containers at once (podman would otherwise wait 10 s for each to stop). Podman 4 removes
 * none of the names when one is already gone, unless --ignore; docker removes the others and complains.
 */
const FORCE_REMOVE: Record<Engine, string[]> = {
  docker: ['rm', '--force'],
  podman: ['rm', '--force', '--ignore', '--time', '0'],
};

/** `<engine> rm` arguments that remove running containers at once. */
export function forceRemoveArgs(engine: Engine, names: readonly string[]): string[] {
  return [...FORCE_REMOVE[engine], ...names];
}

export function ownerLabelValue(p: ProcessIdentity = thisProcess()): string {
  return `${p.pid}.${p.start ?? ''}@${p.host}`;
}

/** The owner a label value names (current or legacy form). */
export function parseOwner(label: string, value: string): ProcessIdentity | undefined {
  if (label === OWNER_LABEL) {
    const m = /^(\d+)\.(\d*)@(.+)$/.exec(value);
    return m ? { pid: Number(m[1]), start: m[2] || undefined, host: m[3]! } : undefined;
  }
  const m = /^(.+)\.(\d+)$/.exec(value);
  return m ? { host: m[1]!, pid: Number(m[2]) } : undefined;
}

/** `--name` and `--label` of a new container; `purpose` says what it is for (`build-openssl`). */
export function containerIdentity(purpose: string): { name: string; flags: string[] } {
  const clean = purpose.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 60) || 'run';
  const name = `diracos-${clean}-${process.pid}-${randomBytes(3).toString('hex')}`;
  return { name, flags: ['--name', name, '--label', `${OWNER_LABEL}=${ownerLabelValue()}`] };
}

/** Containers of this process that exist now, by name. */
const live = new Map<string, Engine>();
let unregister: (() => void) | undefined;

function removeAllNow(): void {
  const byEngine = new Map<Engine, string[]>();
  for (const [name, engine] of live) byEngine.set(engine, [...(byEngine.get(engine) ?? []), name]);
  live.clear();
  unregister = undefined;
  for (const [engine, names] of byEngine) spawnSync(engine, forceRemoveArgs(engine, names), { stdio: 'ignore', timeout: 60_000 });
}

/**
 * Records a container this process is starting, so that stopping or leaving the process removes it;
 * returns the function to call once it is gone (ended with --rm, or removed).
 */
export function track(engine: Engine, name: string): () => void {
  live.set(name, engine);
  unregister ??= onTermination(removeAllNow);
  return () => {
    live.delete(name);
    if (live.size === 0 && unregister) {
      unregister();
      unregister = undefined;
    }
  };
}

/**
 * Removes the containers that processes of this host started and could not remove because they were
 * killed (owner no longer running); returns their names.
 */
export async function removeOrphans(engine: Engine, exec: Exec): Promise<string[]> {
  const removed: string[] = [];
  for (const label of [OWNER_LABEL, LEGACY_OWNER_LABEL]) {
    // {{.Labels}} is "k=v,..." in docker and "map[k:v ...]" in podman.
    const listed = await exec(engine, ['ps', '--all', '--filter', `label=${label}`, '--format', '{{.Names}} {{.Labels}}'], { allowFailure: true }).catch(() => undefined);
    if (!listed || listed.exitCode !== 0) continue;
    const pattern = new RegExp(`${label.replace(/[.]/g, '\\.')}[=:]([^,\\] ]+)`);
    const orphans = listed.stdout
      .split('\n')
      .map((line) => ({ name: line.trim().split(' ')[0], value: pattern.exec(line)?.[1] }))
      .filter((c): c is { name: string; value: string } => Boolean(c.name && c.value))
      .filter((c) => {
        const owner = parseOwner(label, c.value);
        return owner !== undefined && owner.pid !== process.pid && processState(owner) === 'dead';
      })
      .map((c) => c.name);
    if (orphans.length === 0) continue;
    await exec(engine, forceRemoveArgs(engine, orphans), { allowFailure: true });
    removed.push(...orphans);
  }
  return removed;
}
