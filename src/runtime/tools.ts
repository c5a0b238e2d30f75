/**
 * Where the RPM-side tools run (rpm, rpmbuild, rpm2cpio, cpio, createrepo_c, dnf, patchelf, pigz, zstd).
 *
 * With docker or podman they run in the tools image (tools/Containerfile, built from a pinned base and
 * tagged by a hash of both), in one long-lived container per run: host folders are mounted at their own
 * path and every command runs as the invoking user, so argv, working directory and file ownership are
 * exactly what they would be on the host, and a runner needs none of these tools. With the host runtime
 * they are this machine's own.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiracosError } from '../shared/errors.js';
import { ExecError, type Exec, type ExecOptions, type ExecResult } from '../shared/exec.js';
import { sha256Object } from '../shared/hash.js';
import { ContainerRuntime, mountFlag } from './container.js';
import { containerIdentity, forceRemoveArgs, removeOrphans, track } from './owned.js';
import type { Runtime } from './types.js';

export interface Tools {
  /** 'host', or the tools image. */
  readonly where: string;
  /** Runs one tool as the invoking user; host paths are valid as they are. */
  exec: Exec;
  /**
   * Runs one tool as root (dnf refuses `install` otherwise). It may write only below `scratch()`:
   * files it made in a shared folder would belong to root.
   */
  execAsRoot: Exec;
  /** A folder only the tools see (inside the tools container), for root-owned throw-away files. */
  scratch(): Promise<string>;
  /** Makes host folders visible to the tools (created when missing); for a file, its folder. */
  share(...paths: string[]): void;
  /** Stops the tools container; the next use starts a new one. */
  close(): Promise<void>;
}

/** Environment variable that replaces the Containerfile's pinned BASE (machines without a registry). */
export const TOOLS_BASE_VARIABLE = 'DIRACOS_TOOLS_BASE';
export const TOOLS_REPOSITORY = 'localhost/diracos-tools';

/** The tools of this machine (host runtime). */
export function hostTools(exec: Exec): Tools {
  let dir: string | undefined;
  return {
    where: 'host',
    exec,
    execAsRoot: exec,
    scratch: async () => {
      dir ??= join(process.env.TMPDIR ?? '/tmp', `diracos-tools-${process.pid}`);
      mkdirSync(dir, { recursive: true });
      return dir;
    },
    share: () => undefined,
    close: async () => undefined,
  };
}

/** tools/Containerfile, found from this module whether it runs from src/ or from a bundle in dist/. */
export function containerfilePath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'tools', 'Containerfile');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new DiracosError(`tools/Containerfile not found above ${fileURLToPath(import.meta.url)} (an incomplete checkout of the actions?)`);
}

/** Folders to mount: absolute, without those inside another one. */
function outermost(paths: Iterable<string>): string[] {
  const sorted = [...new Set([...paths].map((p) => resolve(p)))].sort();
  const out: string[] = [];
  for (const p of sorted) if (!out.some((o) => p === o || p.startsWith(o.endsWith(sep) ? o : o + sep))) out.push(p);
  return out;
}

/** Variables of `env` that differ from this process's (ExecOptions.env is a whole environment). */
function changedEnv(env: NodeJS.ProcessEnv | undefined): Array<[string, string]> {
  if (!env) return [];
  return Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && process.env[e[0]] !== e[1] && e[0] !== 'PATH');
}

/** docker or podman: the tools in a long-lived container of the tools image. */
export class ContainerTools implements Tools {
  private readonly shared = new Set<string>();
  private container?: Promise<Started>;
  private ensuring: Promise<unknown> = Promise.resolve();
  private image?: Promise<string>;
  private readonly user = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly hostExec: Exec,
    shared: readonly string[] = [],
    private readonly onNote: (message: string) => void = () => undefined,
  ) {
    this.share(...shared);
  }

  get where(): string {
    return `${this.runtime.name} image ${TOOLS_REPOSITORY}`;
  }

  share(...paths: string[]): void {
    for (const p of paths) {
      const abs = resolve(p);
      const isFile = existsSync(abs) && !statSync(abs).isDirectory();
      if (!isFile) mkdirSync(abs, { recursive: true });
      this.shared.add(isFile ? dirname(abs) : abs);
    }
  }

  readonly exec: Exec = (command, args, options) => this.run(this.user, command, args, options);
  readonly execAsRoot: Exec = (command, args, options) => this.run('0:0', command, args, options);

  async scratch(): Promise<string> {
    const dir = `/var/tmp/diracos-scratch-${process.pid}`;
    await this.execAsRoot('mkdir', ['-p', dir]);
    return dir;
  }

  async close(): Promise<void> {
    const c = this.container;
    this.container = undefined;
    if (!c) return;
    const started = await c.catch(() => undefined);
    if (!started) return;
    await this.hostExec(this.runtime.name, forceRemoveArgs(this.runtime.name, [started.name]), { allowFailure: true });
    started.untrack();
  }

  /** The tools image: built once per Containerfile and base image, then reused. */
  toolsImage(): Promise<string> {
    this.image ??= this.buildImage();
    return this.image;
  }

  private async buildImage(): Promise<string> {
    const file = containerfilePath();
    const text = readFileSync(file, 'utf8');
    const base = process.env[TOOLS_BASE_VARIABLE] || /^ARG BASE=(\S+)/m.exec(text)?.[1];
    if (!base) throw new DiracosError(`${file}: no 'ARG BASE=' line`);
    const baseId = await this.runtime.imageIdOrPull(base);
    const tag = `${TOOLS_REPOSITORY}:${sha256Object({ text, baseId }).slice(0, 16)}`;
    if (await this.runtime.imageExists(tag)) return tag;
    this.onNote(`building the tools image ${tag} from ${base}`);
    const built = await this.hostExec(this.runtime.name, ['build', '--quiet', '--build-arg', `BASE=${base}`, '-t', tag, '-f', file, dirname(file)], { allowFailure: true });
    if (built.exitCode !== 0) {
      throw new DiracosError(`building the tools image from ${file} (base ${base}) with ${this.runtime.name} failed:\n${built.stderr.trim().split('\n').slice(-15).join('\n')}`);
    }
    return tag;
  }

  private async run(user: string, command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const cwd = options.cwd ? resolve(options.cwd) : undefined;
    if (cwd) this.share(cwd);
    const { name } = await this.ensure();
    const flags = [
      ...(options.input !== undefined ? ['-i'] : []),
      '-u',
      user,
      ...(cwd ? ['-w', cwd] : []),
      ...changedEnv(options.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    ];
    try {
      return await this.hostExec(this.runtime.name, ['exec', ...flags, name, command, ...args], { ...options, cwd: undefined, env: undefined });
    } catch (e) {
      // A failure names the tool, not the engine around it.
      if (e instanceof ExecError) throw new ExecError(command, args, e.exitCode, e.stderr);
      throw e;
    }
  }

  /**
   * The running container, restarted when a folder was shared after it started or when a mounted folder
   * was removed and made again (the container would still see the removed one). One at a time.
   */
  private ensure(): Promise<Started> {
    const next = this.ensuring.then(() => this.ensureNow());
    this.ensuring = next.catch(() => undefined);
    return next;
  }

  private async ensureNow(): Promise<Started> {
    const wanted = outermost(this.shared);
    const current = this.container ? await this.container.catch(() => undefined) : undefined;
    const covered = current && wanted.every((w) => current.mounts.some((m) => w === m || w.startsWith(m + sep)));
    if (current && covered && current.mounts.every((m) => folderId(m) === current.ids.get(m))) return current;
    if (current) await this.close();
    for (const m of wanted) mkdirSync(m, { recursive: true });
    this.container = this.start(wanted);
    this.container.catch(() => (this.container = undefined));
    return this.container;
  }

  private async start(mounts: string[]): Promise<Started> {
    const image = await this.toolsImage();
    await removeOrphans(this.runtime.name, this.hostExec);
    const { name, flags } = containerIdentity('tools');
    const ids = new Map(mounts.map((m) => [m, folderId(m)]));
    // Removed when this process ends or is stopped; a killed one's is removed by the next run (removeOrphans).
    const untrack = track(this.runtime.name, name);
    const started = await this.hostExec(
      this.runtime.name,
      ['run', '--detach', '--rm', ...flags, '--env', 'HOME=/tmp', ...mounts.flatMap((m) => mountFlag({ source: m, target: m })), image, 'sleep', 'infinity'],
      { allowFailure: true },
    ).catch((e: unknown) => {
      untrack();
      throw e;
    });
    if (started.exitCode !== 0) {
      untrack();
      throw new DiracosError(`starting the tools container (${image}) with ${this.runtime.name} failed:${tail(started.stderr)}`);
    }
    return { name, mounts, ids, untrack };
  }
}

interface Started {
  name: string;
  mounts: string[];
  /** folderId of each mount when the container started. */
  ids: Map<string, string | undefined>;
  untrack: () => void;
}

/** Device and inode of a folder: another value means it was removed and made again. */
function folderId(path: string): string | undefined {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return undefined;
  }
}

function tail(stderr: string): string {
  const t = stderr.trim().split('\n').slice(-15).join('\n');
  return t ? `:\n${t}` : '';
}

/** The tools for a runtime: the host's with the host runtime, else the tools container. */
export function createTools(runtime: Runtime, exec: Exec, shared: readonly string[], onNote?: (message: string) => void): Tools {
  return runtime instanceof ContainerRuntime ? new ContainerTools(runtime, exec, shared, onNote) : hostTools(exec);
}
