/**
 * Where the RPM-side tools run (rpm, rpmbuild, rpm2cpio, cpio, createrepo_c, dnf, patchelf, pigz, zstd).
 *
 * With docker or podman they run in the tools image (tools/Containerfile, built from a pinned base and
 * tagged by a hash of both), in one long-lived container per run: host folders are mounted at their own
 * path and every command runs as the invoking user, so argv, working directory and file ownership are
 * exactly what they would be on the host, and a runner needs none of these tools. With the host runtime
 * they are this machine's own.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostname } from 'node:os';
import { DiracosError } from '../shared/errors.js';
import { ExecError, type Exec, type ExecOptions, type ExecResult } from '../shared/exec.js';
import { sha256Object } from '../shared/hash.js';
import { ContainerRuntime } from './container.js';
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
/** Label of the tools containers: `<hostname>:<pid>` of the process that started one. */
const OWNER_LABEL = 'org.diracos.tools-owner';

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
export function outermost(paths: Iterable<string>): string[] {
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
  private container?: Promise<{ name: string; mounts: string[]; inodes: string[] }>;
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
    const { name } = await c.catch(() => ({ name: '' }));
    if (name) await this.hostExec(this.runtime.name, ['rm', '--force', name], { allowFailure: true });
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
   * The running container, restarted when a folder was shared after it started, or when a mounted
   * folder was removed and made again (the container would still see the removed one).
   */
  private async ensure(): Promise<{ name: string; mounts: string[]; inodes: string[] }> {
    for (const p of this.shared) mkdirSync(p, { recursive: true });
    const wanted = outermost(this.shared);
    const current = this.container ? await this.container : undefined;
    const covered = (w: string) => current!.mounts.some((m) => w === m || w.startsWith(m + sep));
    if (current && wanted.every(covered) && current.mounts.map(inode).join() === current.inodes.join()) return current;
    if (current) await this.close();
    this.container = this.start(wanted);
    this.container.catch(() => (this.container = undefined));
    return this.container;
  }

  private async start(mounts: string[]): Promise<{ name: string; mounts: string[]; inodes: string[] }> {
    const image = await this.toolsImage();
    await removeOrphans(this.runtime.name, this.hostExec);
    const name = `diracos-tools-${process.pid}-${Date.now().toString(36)}`;
    const started = await this.hostExec(
      this.runtime.name,
      [
        'run',
        '--detach',
        '--rm',
        '--name',
        name,
        '--label',
        `${OWNER_LABEL}=${ownerId()}`,
        '--env',
        'HOME=/tmp',
        ...mounts.flatMap((m) => ['--volume', `${m}:${m}`]),
        image,
        'sleep',
        'infinity',
      ],
      { allowFailure: true },
    );
    if (started.exitCode !== 0) throw new DiracosError(`starting the tools container (${image}) with ${this.runtime.name} failed:${tail(started.stderr)}`);
    stopOnExit(this.runtime.name, name);
    return { name, mounts, inodes: mounts.map(inode) };
  }
}

/** Which folder a path is now (a removed and re-made folder is another one). */
function inode(path: string): string {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return 'missing';
  }
}

function tail(stderr: string): string {
  const t = stderr.trim().split('\n').slice(-15).join('\n');
  return t ? `:\n${t}` : '';
}

function ownerId(): string {
  return `${hostname()}.${process.pid}`;
}

/** Containers are removed when this process ends, even by a signal the shells turn into an exit. */
const toRemove = new Map<string, string>();
let exitHookInstalled = false;
function stopOnExit(engine: string, name: string): void {
  toRemove.set(name, engine);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [n, e] of toRemove) spawnSync(e, ['rm', '--force', n], { stdio: 'ignore' });
  });
}

/** Tools containers of processes of this host that are gone (killed with -9). */
async function removeOrphans(engine: string, exec: Exec): Promise<void> {
  // {{.Labels}} is "k=v,..." in docker and "map[k:v ...]" in podman.
  const listed = await exec(engine, ['ps', '--all', '--filter', `label=${OWNER_LABEL}`, '--format', '{{.Names}} {{.Labels}}'], { allowFailure: true });
  if (listed.exitCode !== 0) return;
  const host = `${hostname()}.`;
  for (const line of listed.stdout.split('\n')) {
    const name = line.trim().split(' ')[0];
    const owner = new RegExp(`${OWNER_LABEL.replace(/[.]/g, '\\.')}[=:]([^,\\] ]+)`).exec(line)?.[1];
    if (!name || !owner?.startsWith(host)) continue;
    const pid = Number(owner.slice(host.length));
    if (pid === process.pid || alive(pid)) continue;
    await exec(engine, ['rm', '--force', name], { allowFailure: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The tools for a runtime: the host's with the host runtime, else the tools container. */
export function createTools(runtime: Runtime, exec: Exec, shared: readonly string[], onNote?: (message: string) => void): Tools {
  return runtime instanceof ContainerRuntime ? new ContainerTools(runtime, exec, shared, onNote) : hostTools(exec);
}
