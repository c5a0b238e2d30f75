import { DiracosError } from '../shared/errors.js';
import type { Exec } from '../shared/exec.js';
import { ContainerRuntime, type ContainerEngine } from './container.js';
import { HostRuntime } from './host.js';
import { removeOrphans } from './owned.js';
import type { Runtime } from './types.js';

export type RuntimePreference = ContainerEngine | 'host' | 'auto';

/**
 * Engines `auto` tries, in order: docker first (GitHub runners have its engine running),
 * then podman (build machines; where `docker` may be a client without an engine).
 */
const AUTO_ORDER: readonly ContainerEngine[] = ['docker', 'podman'];

/**
 * A named runtime as asked, or for `auto` the first engine whose `info` works. With an engine, the
 * containers earlier runs on this host left when they were killed are removed first (`onNote` says which).
 */
export async function createRuntime(exec: Exec, preference: RuntimePreference = 'auto', onNote?: (message: string) => void): Promise<Runtime> {
  if (preference === 'host') return new HostRuntime(exec);
  const engine = preference === 'auto' ? await workingEngine(exec) : preference;
  const orphans = await removeOrphans(engine, exec);
  if (orphans.length > 0) onNote?.(`removed ${orphans.length} container(s) left running by an earlier run that was killed: ${orphans.join(', ')}`);
  return new ContainerRuntime(engine, exec);
}

async function workingEngine(exec: Exec): Promise<ContainerEngine> {
  const failures: string[] = [];
  for (const engine of AUTO_ORDER) {
    const problem = await engineProblem(exec, engine);
    if (problem === undefined) return engine;
    failures.push(`  ${engine}: ${problem}`);
  }
  throw new DiracosError(
    `no working container engine found (tried ${AUTO_ORDER.join(', ')}):\n${failures.join('\n')}\n` +
      'install podman (on Debian: apt-get install podman) or choose the host runtime',
  );
}

/** Why `<engine> info` fails, or undefined when the engine works. */
async function engineProblem(exec: Exec, engine: ContainerEngine): Promise<string | undefined> {
  try {
    const r = await exec(engine, ['info'], { allowFailure: true });
    if (r.exitCode === 0) return undefined;
    const lastLine = r.stderr.trim().split('\n').pop() ?? '';
    return `'${engine} info' exited with ${r.exitCode}${lastLine ? `: ${lastLine}` : ''}`;
  } catch (e) {
    // Not installed: nodeExec says which package provides it.
    if (e instanceof DiracosError) return e.message;
    throw e;
  }
}
