import type { ExecResult } from '../shared/exec.js';

export interface Mount {
  source: string;
  target: string;
  readOnly?: boolean;
}

/** One command in a fresh container of an image (or on the host, for the host runtime). */
export interface RunSpec {
  image: string;
  /** What the container is for, in its name (`build-openssl` -> `diracos-build-openssl-<pid>-<random>`). */
  name?: string;
  /** argv; use ['bash', '-c', script] for shell. */
  command: string[];
  mounts?: Mount[];
  env?: Record<string, string>;
  workdir?: string;
  /** "uid[:gid]" or a user name. */
  user?: string;
  privileged?: boolean;
  /** Network access (default true: setup commands install packages). */
  network?: boolean;
  /** Keep stdout/stderr in the result (default true). */
  capture?: boolean;
  onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
  /** Resolve with the exit code instead of throwing on non-zero. */
  allowFailure?: boolean;
}

export interface PrepareOptions {
  /** The setup commands' output as it arrives (a log). */
  onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
}

/** docker and podman share one implementation (same CLI); `host` runs on this machine. */
export interface Runtime {
  readonly name: 'docker' | 'podman' | 'host';
  run(spec: RunSpec): Promise<ExecResult>;
  imageExists(image: string): Promise<boolean>;
  /**
   * An image = base image + setup commands, built once and tagged by a hash of both;
   * returns the tag. Rebuilt only when missing. With no setup commands, returns `base` itself.
   */
  prepareImage(base: string, setup: readonly string[], options?: PrepareOptions): Promise<string>;
}
