#!/usr/bin/env node
// The `diracos` command: the same stages as the actions, on this machine.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Reporter } from '../reporting/reporter.js';
import { systemFailure } from '../rules/system-errors.js';
import { DiracosError, DiracosErrors, formatProblem } from '../shared/errors.js';
import { COMMANDS, commandHelp, parseCommandLine, usage, UsageError, type CommandName, type Parsed } from './args.js';
import { TerminalReporter } from './terminal.js';

type Command = { run(p: Parsed, reporter: Reporter): Promise<void> };

// One module per subcommand, loaded on use: `validate` never loads the build stages.
const LOADERS: Record<CommandName, () => Promise<Command>> = {
  validate: () => import('./commands/validate.js'),
  lock: () => import('./commands/lock.js'),
  'bootstrap-python': () => import('./commands/bootstrap-python.js'),
  'build-rpms': () => import('./commands/build-rpms.js'),
  bundle: () => import('./commands/bundle.js'),
  'test-platforms': () => import('./commands/test-platforms.js'),
  build: () => import('./commands/build.js'),
  'import-v1': () => import('./commands/import-v1.js'),
};

/**
 * Runs the CLI; returns the exit code (0 ok, 1 a problem the user can fix, 2 a bug of ours).
 * Errors have one form: `diracos <command>: message`, or `file:line:col: message` when they point
 * into a file (the manifest).
 */
export async function main(argv: string[], io = { out: process.stdout, err: process.stderr }): Promise<number> {
  const prog = argv[0] !== undefined && Object.hasOwn(COMMANDS, argv[0]) ? `diracos ${argv[0]}` : 'diracos';
  try {
    const parsed = parseCommandLine(argv);
    if (parsed === 'help') {
      io.out.write(usage() + '\n');
      return 0;
    }
    if (parsed.values.help) {
      io.out.write(commandHelp(parsed.command) + '\n');
      return 0;
    }
    const reporter = new TerminalReporter({ out: io.out, err: io.err, tty: Boolean(io.out.isTTY), verbose: Boolean(parsed.values.verbose) });
    const command = await LOADERS[parsed.command]();
    await command.run(parsed, reporter);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err.write(`${prog}: ${e.message}${e.seeHelp ? ` (see ${prog} --help)` : ''}\n`);
      return 1;
    }
    if (e instanceof DiracosErrors) {
      for (const p of e.problems) io.err.write(formatProblem(p) + '\n');
      io.err.write(`${prog}: ${e.message.split('\n')[0].replace(/:$/, '')}\n`);
      return 1;
    }
    if (e instanceof DiracosError) {
      io.err.write((e.location ? formatProblem({ message: e.message, location: e.location }) : `${prog}: ${e.message}`) + '\n');
      return e.cliStatus;
    }
    // The machine's errors (a full disk, no permission...) are the user's to fix, not bugs of ours.
    const system = systemFailure(e, prog);
    if (system) {
      io.err.write(`${system.message}\n`);
      return 1;
    }
    io.err.write(`${prog}: internal error (a bug, please report it):\n${(e as Error)?.stack ?? String(e)}\n`);
    return 2;
  }
}

/**
 * `diracos validate | head`: when the reader of stdout or stderr is gone, stop at once and quietly,
 * with the status of a process killed by SIGPIPE (128 + 13) as other Unix tools do; node would
 * otherwise die of an unhandled 'error' event with a stack trace.
 */
function exitOnBrokenPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(141);
  });
}

/** True when this module is the program (node dist/cli/index.js, or the npm bin link to it), not an import. */
function isProgram(): boolean {
  try {
    return Boolean(process.argv[1]) && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isProgram()) {
  exitOnBrokenPipe(process.stdout);
  exitOnBrokenPipe(process.stderr);
  process.exitCode = await main(process.argv.slice(2));
}
