import { getExecOutput } from '@actions/exec';
import { DiracosError } from '../../shared/errors.js';
import { execFailure, type Exec } from '../../shared/exec.js';
import { missingToolMessage } from '../../shared/tools.js';

/**
 * Exec over @actions/exec. Captured output is data for the caller and stays out of the log
 * (silent); uncaptured commands (long builds) stream into the job log as they run.
 */
export const actionsExec: Exec = async (command, args, options = {}) => {
  const capture = options.capture ?? true;
  let errTail = '';
  let result;
  try {
    result = await getExecOutput(command, [...args], {
      cwd: options.cwd,
      env: options.env ? definedOnly(options.env) : undefined,
      input: typeof options.input === 'string' ? Buffer.from(options.input) : options.input,
      silent: capture,
      ignoreReturnCode: true,
      listeners: {
        stdout: (chunk) => options.onOutput?.(chunk, 'stdout'),
        stderr: (chunk) => {
          if (!capture) errTail = (errTail + chunk.toString()).slice(-8192);
          options.onOutput?.(chunk, 'stderr');
        },
      },
    });
  } catch (e) {
    if (/Unable to locate executable file/.test((e as Error).message)) throw new DiracosError(missingToolMessage(command));
    throw e;
  }
  // getExecOutput always accumulates; honour capture: false like nodeExec does.
  const out = capture ? result : { exitCode: result.exitCode, stdout: '', stderr: errTail };
  if (out.exitCode !== 0 && !options.allowFailure) throw execFailure(command, args, out);
  return out;
};

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
