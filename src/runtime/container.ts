import { existsSync, mkdirSync } from 'node:fs';
import { DiracosError } from '../shared/errors.js';
import { shQuote } from '../shared/shell.js';
import type { Exec, ExecResult } from '../shared/exec.js';
import { sha256Object } from '../shared/hash.js';
import { containerIdentity, track, type Engine } from './owned.js';
import type { Mount, PrepareOptions, RunSpec, Runtime } from './types.js';

export type ContainerEngine = Engine;

/** Where prepared images are tagged: `localhost/` keeps docker and podman from trying a registry. */
export const PREPARED_REPOSITORY = 'localhost/diracos-prepared';

/**
 * RunSpec fields as `run` flags, one row per field: docker and podman take the same ones.
 * (Mounts are separate: they need validating.)
 */
const RUN_FLAGS: ReadonlyArray<(spec: RunSpec) => string[]> = [
  (s) => Object.entries(s.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
  (s) => (s.workdir ? ['-w', s.workdir] : []),
  (s) => (s.user ? ['--user', s.user] : []),
  (s) => (s.privileged ? ['--privileged'] : []),
  (s) => (s.network === false ? ['--network', 'none'] : []),
];

/** One field of a `--mount` value: docker and podman read it as CSV, so `,` and `"` are quoted. */
function csvField(field: string): string {
  return /[",]/.test(field) || field.trim() !== field ? `"${field.replace(/"/g, '""')}"` : field;
}

/**
 * `--mount type=bind,source=...,target=...[,ro]`: unlike `-v source:target`, it takes any path (spaces,
 * parentheses, quotes, `:`, `,`, non-ASCII); docker and podman need them absolute, and a line break
 * cannot be passed.
 */
export function mountFlag(mount: Mount): string[] {
  for (const path of [mount.source, mount.target]) {
    if (!path.startsWith('/')) throw new DiracosError(`container mount '${mount.source}' -> '${mount.target}': paths must be absolute`);
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x1f]/.test(path)) throw new DiracosError(`container mount ${JSON.stringify(mount.source)}: a path with a line break or another control character cannot be mounted into a container`);
  }
  const fields = ['type=bind', `source=${mount.source}`, `target=${mount.target}`, ...(mount.readOnly ? ['ro'] : [])];
  return ['--mount', fields.map(csvField).join(',')];
}

/**
 * The command of a container that runs as root with writable mounts for an unprivileged caller:
 * afterwards everything in those mounts is handed back to `owner` ("uid:gid"), so the caller can
 * read, change and delete what the container wrote. The command's exit status is kept.
 */
export function handBack(command: readonly string[], targets: readonly string[], owner: string): string[] {
  const script = `"$@"; status=$?; chown -R -h ${shQuote(owner)} -- ${targets.map(shQuote).join(' ')} 2>/dev/null; exit $status`;
  return ['sh', '-c', script, 'diracos-hand-back', ...command];
}

/** "uid:gid" of this process when it is not root (whose files need no handing back). */
export function unprivilegedOwner(): string | undefined {
  const uid = process.getuid?.();
  return uid === undefined || uid === 0 ? undefined : `${uid}:${process.getgid?.() ?? uid}`;
}

/**
 * The arguments after the engine binary for one throw-away container (identical for docker and podman).
 * With `owner` (the caller's "uid:gid" when it is not root), a container running as root hands what it
 * wrote into writable mounts back to the caller. `identity` names and labels it (containerIdentity).
 */
export function runArgs(spec: RunSpec, owner?: string, identity: readonly string[] = []): string[] {
  if (spec.command.length === 0) throw new DiracosError(`container run of '${spec.image}': empty command`);
  for (const key of Object.keys(spec.env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new DiracosError(`container run of '${spec.image}': bad environment variable name '${key}'`);
  }
  const writable = (spec.mounts ?? []).filter((m) => !m.readOnly).map((m) => m.target);
  const command = owner && !spec.user && writable.length > 0 ? handBack(spec.command, writable, owner) : spec.command;
  return ['run', '--rm', ...identity, ...(spec.mounts ?? []).flatMap(mountFlag), ...RUN_FLAGS.flatMap((flag) => flag(spec)), spec.image, ...command];
}

/**
 * Runs each setup command with `bash -e -o pipefail -c` and, on the first failure, prints a marker
 * with its index on stderr (the container's exit code alone cannot say which command failed).
 */
const SETUP_SCRIPT = [
  'i=0',
  'for c in "$@"; do',
  '  i=$((i+1))',
  '  bash -e -o pipefail -c "$c" || { s=$?; echo "diracos-setup-failed $i $s" >&2; exit "$s"; }',
  'done',
].join('\n');
const SETUP_FAILED = /^diracos-setup-failed (\d+) (\d+)$/m;

/** Prepared-image builds in flight in this process, by engine and tag, so one tag is built once. */
const preparing = new Map<string, Promise<string>>();

/** docker or podman: the two share CLI arguments, so one class drives both. */
export class ContainerRuntime implements Runtime {
  constructor(
    readonly name: ContainerEngine,
    private readonly exec: Exec,
  ) {}

  async run(spec: RunSpec): Promise<ExecResult> {
    const { name, flags } = containerIdentity(spec.name ?? 'run');
    const args = runArgs(spec, unprivilegedOwner(), flags);
    // A missing folder to write into is made (by us, not by a root daemon as docker's `-v` did); a missing
    // read-only input stays an error of the engine.
    for (const m of spec.mounts ?? []) if (!m.readOnly && !existsSync(m.source)) mkdirSync(m.source, { recursive: true });
    const untrack = track(this.name, name);
    try {
      return await this.exec(this.name, args, {
        capture: spec.capture,
        onOutput: spec.onOutput,
        allowFailure: spec.allowFailure,
      });
    } finally {
      untrack();
    }
  }

  async imageExists(image: string): Promise<boolean> {
    return (await this.imageId(image)) !== undefined;
  }

  /** The image's id, or undefined when it is not present locally (`image inspect` works in both engines). */
  async imageId(image: string): Promise<string | undefined> {
    const r = await this.exec(this.name, ['image', 'inspect', '--format', '{{.Id}}', image], { allowFailure: true });
    return r.exitCode === 0 ? r.stdout.trim() : undefined;
  }

  /** The tag `prepareImage` gives this base and setup (base is resolved to its image id when present). */
  async preparedTag(base: string, setup: readonly string[]): Promise<string> {
    const baseId = await this.imageIdOrPull(base);
    return `${PREPARED_REPOSITORY}:${sha256Object({ base: baseId, setup }).slice(0, 16)}`;
  }

  async prepareImage(base: string, setup: readonly string[], options: PrepareOptions = {}): Promise<string> {
    if (setup.length === 0) return base;
    const tag = await this.preparedTag(base, setup);
    const key = `${this.name}\0${tag}`;
    let build = preparing.get(key);
    if (!build) {
      build = this.buildPrepared(base, setup, tag, options);
      preparing.set(key, build);
      // A failed build may be retried; a finished one is found by imageExists from now on.
      build.then(
        () => preparing.delete(key),
        () => preparing.delete(key),
      );
    }
    return build;
  }

  private async buildPrepared(base: string, setup: readonly string[], tag: string, options: PrepareOptions): Promise<string> {
    if (await this.imageExists(tag)) return tag;
    const { name: container, flags } = containerIdentity(`prepare-${tag.split(':')[1]}`);
    const untrack = track(this.name, container);
    const result = await this.exec(this.name, ['run', ...flags, base, 'bash', '-c', SETUP_SCRIPT, 'diracos-setup', ...setup], {
      onOutput: options.onOutput,
      allowFailure: true,
    }).catch((e: unknown) => {
      untrack();
      throw e;
    });
    try {
      if (result.exitCode !== 0) throw setupFailure(base, setup, result);
      // Commit straight to the tag: it appears only once the image is complete. Without --change the
      // image's default command would be the setup script; setup already assumes bash.
      await this.exec(this.name, ['commit', '--change', 'CMD ["/bin/bash"]', container, tag]);
    } finally {
      await this.exec(this.name, ['rm', '--force', container], { allowFailure: true });
      untrack();
    }
    return tag;
  }

  /** The image's id, pulled first when it is not present locally. */
  async imageIdOrPull(image: string): Promise<string> {
    return (await this.imageId(image)) ?? (await this.pull(image));
  }

  private async pull(image: string): Promise<string> {
    const r = await this.exec(this.name, ['pull', image], { allowFailure: true });
    const id = r.exitCode === 0 ? await this.imageId(image) : undefined;
    if (!id) throw new DiracosError(`image '${image}' is not present locally and could not be pulled with ${this.name}:\n${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
    return id;
  }
}

function setupFailure(base: string, setup: readonly string[], result: ExecResult): DiracosError {
  const marker = SETUP_FAILED.exec(result.stderr);
  const tail = result.stderr.replace(SETUP_FAILED, '').trim().split('\n').slice(-15).join('\n');
  if (!marker) {
    return new DiracosError(`preparing image from '${base}': the setup container exited with ${result.exitCode}${tail ? `:\n${tail}` : ''}`);
  }
  const index = Number(marker[1]);
  return new DiracosError(
    `preparing image from '${base}': setup command ${index} of ${setup.length} failed (exit ${marker[2]}): ${setup[index - 1]}` +
      (tail ? `\n${tail}` : ''),
  );
}
