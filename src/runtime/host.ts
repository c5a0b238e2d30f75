import { DiracosError } from '../shared/errors.js';
import type { Exec, ExecResult } from '../shared/exec.js';
import type { Mount, PrepareOptions, RunSpec, Runtime } from './types.js';

/**
 * RunSpec fields that need a bubblewrap sandbox on the host, one row per field:
 * a mount that moves or protects a path, or no network.
 */
const BWRAP_FLAGS: ReadonlyArray<(spec: RunSpec) => string[]> = [
  (s) => sandboxMounts(s.mounts ?? []).flatMap((m) => [m.readOnly ? '--ro-bind' : '--bind', m.source, m.target]),
  (s) => (s.network === false ? ['--unshare-net'] : []),
];

/** Mounts a plain process on this machine does not already have: remapped or read-only ones. */
function sandboxMounts(mounts: readonly Mount[]): Mount[] {
  // Parents before children, so a mount inside another mount's target stays visible.
  return mounts.filter((m) => m.source !== m.target || m.readOnly).sort((a, b) => a.target.length - b.target.length);
}

/**
 * Runs commands on this machine, ignoring `image` (the platform is whatever this machine is).
 * Remapped mounts and `network: false` go through bubblewrap (`bwrap --bind / / ...`),
 * which creates a missing mount target on the host as an empty directory.
 */
export class HostRuntime implements Runtime {
  readonly name = 'host' as const;

  constructor(private readonly exec: Exec) {}

  run(spec: RunSpec): Promise<ExecResult> {
    if (spec.command.length === 0) throw new DiracosError('host run: empty command');
    if (spec.user !== undefined) {
      throw new DiracosError(`host run of '${spec.command[0]}': the host runtime cannot switch user (asked for '${spec.user}'); use podman or docker`);
    }
    const env = { ...process.env, ...spec.env };
    const options = { env, capture: spec.capture, onOutput: spec.onOutput, allowFailure: spec.allowFailure };
    const sandbox = BWRAP_FLAGS.flatMap((flag) => flag(spec));
    if (sandbox.length === 0) return this.exec(spec.command[0], spec.command.slice(1), { ...options, cwd: spec.workdir });
    // The workdir may be a mount target that only exists inside the sandbox.
    const chdir = spec.workdir ? ['--chdir', spec.workdir] : [];
    return this.exec('bwrap', ['--bind', '/', '/', ...sandbox, ...chdir, '--', ...spec.command], options);
  }

  /** Every image "exists": the host stands in for all of them. */
  imageExists(): Promise<boolean> {
    return Promise.resolve(true);
  }

  prepareImage(base: string, setup: readonly string[], _options?: PrepareOptions): Promise<string> {
    if (setup.length > 0) {
      return Promise.reject(
        new DiracosError(
          `the host runtime cannot prepare image '${base}': setup commands (${setup[0]}${setup.length > 1 ? ', ...' : ''}) would change this machine; ` +
            'install what they need beforehand or use podman or docker',
        ),
      );
    }
    return Promise.resolve(base);
  }
}
