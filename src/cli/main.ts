#!/usr/bin/env node
// The `diracos` command: the same stages as the actions, on this machine.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Reporter } from '../reporting/reporter.js';
import { DiracosError, DiracosErrors, formatProblem } from '../shared/errors.js';
import { commandHelp, parseCommandLine, usage, type CommandName, type Parsed } from './args.js';
import { TerminalReporter } from './terminal.js';

type Command = { run(p: Parsed, reporter: Reporter): Promise<void> };

// One module per subcommand, loaded on use: `validate` never loads the build stages.
const LOADERS: Record<CommandName, () => Promise<Command>> = {
  validate: () => import('./commands/validate.js'),
  'bootstrap-python': () => import('./commands/bootstrap-python.js'),
  'build-rpms': () => import('./commands/build-rpms.js'),
  bundle: () => import('./commands/bundle.js'),
  'test-platforms': () => import('./commands/test-platforms.js'),
  build: () => import('./commands/build.js'),
};

/** Runs the CLI; returns the exit code (0 ok, 1 a problem the user can fix, 2 a bug of ours). */
export async function main(argv: string[], io = { out: process.stdout, err: process.stderr }): Promise<number> {
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
    if (e instanceof DiracosErrors) {
      for (const p of e.problems) io.err.write(formatProblem(p) + '\n');
      io.err.write(`diracos: ${e.message.split('\n')[0].replace(/:$/, '')}\n`);
      return 1;
    }
    if (e instanceof DiracosError) {
      io.err.write(formatProblem({ message: e.message, location: e.location }) + '\n');
      return 1;
    }
    io.err.write(`diracos: internal error (a bug, please report it):\n${(e as Error)?.stack ?? String(e)}\n`);
    return 2;
  }
}

/** True when this module is the program (node dist/cli/index.js, or the npm bin link to it), not an import. */
function isProgram(): boolean {
  try {
    return Boolean(process.argv[1]) && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isProgram()) process.exitCode = await main(process.argv.slice(2));
