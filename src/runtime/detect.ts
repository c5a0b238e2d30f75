import { DiracosError } from '../shared/errors.js';
import type { Exec } from '../shared/exec.js';
import { ContainerRuntime, type ContainerEngine } from './container.js';
import { HostRuntime } from './host.js';
import type { Runtime } from './types.js';

export type RuntimePreference = ContainerEngine | 'host' | 'auto';

/**
 * Engines `auto` tries, in order: docker first (GitHub runners have its engine running),
 * then podman (build machines; where `docker` may be a client without an engine).
 */
const AUTO_ORDER: readonly ContainerEngine[] = ['docker', 'podman'];

/** A named runtime as asked, or for `auto` the first engine whose `info` works. */
export async function createRuntime(exec: Exec, preference: RuntimePreference = 'auto'): Promise<Runtime> {
  if (preference === 'host') return new HostRuntime(exec);
  if (preference !== 'auto') return new ContainerRuntime(preference, exec);
  const failures: string[] = [];
  for (const engine of AUTO_ORDER) {
    const problem = await engineProblem(exec, engine);
    if (problem === undefined) return new ContainerRuntime(engine, exec);
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
