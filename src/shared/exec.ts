import { spawn } from 'node:child_process';
import { DiracosError } from './errors.js';
import { missingToolMessage } from './tools.js';

export interface ExecOptions {
  cwd?: string;
  /** The whole environment of the child (default: this process's). */
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
  /** Keep stdout/stderr in the result (default true); turn off for long builds that stream to a log. */
  capture?: boolean;
  /** Every chunk of output as it arrives: a terminal, a log file. */
  onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
  /** Resolve with the exit code instead of throwing on a non-zero exit. */
  allowFailure?: boolean;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs one program. The core gets it injected so the action shells can route it through @actions/exec. */
export type Exec = (command: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

export class ExecError extends DiracosError {
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly exitCode: number,
    readonly stderr: string,
  ) {
    const tail = stderr.trim().split('\n').slice(-15).join('\n');
    super(`'${[command, ...args].join(' ')}' exited with ${exitCode}${tail ? `:\n${tail}` : ''}`);
    this.name = 'ExecError';
  }
}

/** Error for a failed exec, shared by every Exec implementation. */
export function execFailure(command: string, args: readonly string[], result: ExecResult): ExecError {
  return new ExecError(command, args, result.exitCode, result.stderr);
}

/** The plain Node implementation, used by the CLI and the tests. */
export const nodeExec: Exec = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    const capture = options.capture ?? true;
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      // No input: /dev/null, not a pipe. Node's pipes are sockets, and bash, as the top shell (the
      // actions' case), reads ~/.bashrc when its stdin is a socket: a user's startup files in our scripts.
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    // Without capture keep a bounded tail of stderr so failures still say something.
    let errTail = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      if (capture) out.push(chunk);
      options.onOutput?.(chunk, 'stdout');
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      if (capture) err.push(chunk);
      else errTail = (errTail + chunk.toString()).slice(-8192);
      options.onOutput?.(chunk, 'stderr');
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'ENOENT' ? new DiracosError(missingToolMessage(command)) : e);
    });
    child.on('close', (code, signal) => {
      const result: ExecResult = {
        exitCode: code ?? (signal ? 128 + 9 : 1),
        stdout: Buffer.concat(out).toString(),
        stderr: capture ? Buffer.concat(err).toString() : errTail,
      };
      if (result.exitCode !== 0 && !options.allowFailure) reject(execFailure(command, args, result));
      else resolve(result);
    });
    child.stdin?.on('error', () => undefined); // a child that exits without reading its input
    child.stdin?.end(options.input);
  });
