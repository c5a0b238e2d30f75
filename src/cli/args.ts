import { parseArgs } from 'node:util';
import { DiracosError } from '../shared/errors.js';

/**
 * A wrong command line. Printed as `diracos <command>: <message>`, with `(see diracos <command> --help)`
 * when the help lists what is allowed; the message starts with the option it is about (`--jobs: ...`).
 */
export class UsageError extends DiracosError {
  constructor(
    message: string,
    readonly command?: CommandName,
    readonly seeHelp = false,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Every option of the CLI, once; subcommands pick theirs by name. */
export const OPTIONS = {
  manifest: { type: 'string', short: 'm', default: 'diracos.yaml', value: 'FILE', help: 'the DIRACOS manifest' },
  workdir: { type: 'string', short: 'w', default: '.work', value: 'DIR', help: 'scratch and output folder' },
  jobs: { type: 'string', short: 'j', value: 'N', count: true, help: 'parallel jobs (default: number of CPUs)' },
  runtime: { type: 'string', default: 'auto', value: 'auto|podman|docker|host', help: 'where builds and tests run' },
  'cache-dir': { type: 'string', value: 'DIR', help: 'cache between runs (default: $XDG_CACHE_HOME/diracos or ~/.cache/diracos)' },
  only: { type: 'string', value: 'a,b', help: 'build only these packages (with what they need)' },
  backend: { type: 'string', value: 'container|mock', help: "build backend (default: the manifest's)" },
  compression: { type: 'string', value: 'gzip|zstd', help: "tarball compression (default: the manifest's)" },
  platform: { type: 'string', value: 'NAME[,NAME]', help: 'test these platforms only (default: all)' },
  tarball: { type: 'string', value: 'FILE', help: 'tarball to test (default: the one `diracos bundle` made)' },
  output: { type: 'string', short: 'o', value: 'FILE', help: 'write the converted manifest here (default: standard output)' },
  check: { type: 'boolean', help: 'only list the sources without a sha256; exit 3 when there is one (nothing is downloaded or written)' },
  extends: {
    type: 'string',
    value: 'TARBALL',
    help: "make an extension of this base DIRACOS tarball instead of the bundle: the base plus the manifest's bundle.pip requirements (needs --extension-name)",
  },
  'extension-name': { type: 'string', value: 'NAME', help: 'with --extends: the name prepended to the tarball (NAMEdiracos-<version>-<arch>.tar.gz) and its artifact' },
  force: { type: 'boolean', help: 'make the tarball and test every platform again even when their inputs did not change' },
  'lock-timeout': {
    type: 'string',
    value: 'SECONDS',
    seconds: true,
    help: 'when another run holds the work folder or the repository: wait at most this long, 0 to fail at once (default: wait, saying so every minute)',
  },
  verbose: { type: 'boolean', short: 'v', help: 'show debug lines' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} as const;

export type OptionName = keyof typeof OPTIONS;

const RUN: OptionName[] = ['manifest', 'workdir', 'jobs', 'runtime', 'cache-dir', 'verbose', 'help'];

/** The subcommands, their summaries and their options. */
export const COMMANDS = {
  validate: { summary: 'check the manifest and print what it describes', options: ['manifest', 'verbose', 'help'] },
  lock: {
    summary: 'download every source without a sha256 and write its sha256 into the manifest (comments and layout kept)',
    options: ['manifest', 'cache-dir', 'check', 'verbose', 'help'],
  },
  'bootstrap-python': { summary: 'build (or restore) the CPython RPM', options: [...RUN, 'backend', 'lock-timeout'] },
  'build-rpms': { summary: 'build the packages into the RPM repository', options: [...RUN, 'only', 'backend', 'lock-timeout'] },
  bundle: { summary: 'make the relocatable DIRACOS tarball from the repository (or, with --extends, an extension of a base tarball)', options: [...RUN, 'compression', 'force', 'extends', 'extension-name', 'lock-timeout'] },
  'test-platforms': { summary: 'check the tarball on every platform', options: [...RUN, 'tarball', 'platform', 'force'] },
  build: {
    summary: 'all stages in order: bootstrap-python, build-rpms, bundle, test-platforms',
    options: [...RUN, 'only', 'backend', 'compression', 'platform', 'force', 'lock-timeout'],
  },
  'import-v1': {
    summary: 'convert a DIRACOS v1 configuration (config/diracos.json) into a commented diracos.yaml',
    options: ['output', 'verbose', 'help'],
    argument: { name: 'CONFIG', help: "DIRACOS v1's configuration, e.g. config/diracos.json" },
  },
} as const satisfies Record<string, { summary: string; options: readonly OptionName[]; argument?: { name: string; help: string } }>;

export type CommandName = keyof typeof COMMANDS;

export interface Parsed {
  command: CommandName;
  values: Partial<Record<OptionName, string | boolean>>;
  /** The command's argument (commands with one: import-v1's CONFIG). */
  argument?: string;
}

/** The positional argument a command takes, if any. */
function argumentOf(command: CommandName): { name: string; help: string } | undefined {
  const c = COMMANDS[command];
  return 'argument' in c ? c.argument : undefined;
}

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'usage: diracos <command> [options]',
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    "'diracos <command> --help' lists the command's options.",
  ].join('\n');
}

export function commandHelp(command: CommandName): string {
  const rows = COMMANDS[command].options.map((name) => {
    const o = OPTIONS[name];
    const flag = `${'short' in o ? `-${o.short}, ` : '    '}--${name}${'value' in o ? ` ${o.value}` : ''}`;
    return { flag, help: o.help + ('default' in o ? ` (default: ${o.default})` : '') };
  });
  const argument = argumentOf(command);
  if (argument) rows.unshift({ flag: argument.name, help: argument.help });
  const width = Math.max(...rows.map((r) => r.flag.length));
  return [
    `usage: diracos ${command} [options]${argument ? ` ${argument.name}` : ''}`,
    '',
    COMMANDS[command].summary,
    '',
    argument ? 'arguments and options:' : 'options:',
    ...rows.map((r) => `  ${r.flag.padEnd(width)}  ${r.help}`),
  ].join('\n');
}

/** argv (without node and the script) -> command and options; bad usage is a UsageError. */
export function parseCommandLine(argv: string[]): Parsed | 'help' {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return 'help';
  if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`unknown command '${command}'`, undefined, true);
  const name = command as CommandName;
  const allowed: readonly OptionName[] = COMMANDS[name].options;
  const options = Object.fromEntries(
    allowed.map((o) => {
      const spec = OPTIONS[o];
      return [o, { type: spec.type, ...('short' in spec ? { short: spec.short } : {}), ...('default' in spec ? { default: spec.default } : {}) }];
    }),
  );
  // Not strict: node's own messages ("Option '-j, --jobs <value>' argument missing") are replaced by
  // ours, checked token by token.
  const { values, tokens } = parseArgs({ args: rest, options, strict: false, allowPositionals: true, tokens: true });
  const argument = argumentOf(name);
  let given: string | undefined;
  for (const t of tokens) {
    if (t.kind === 'positional') {
      if (!argument || given !== undefined) throw new UsageError(`unexpected argument '${t.value}'`, name, true);
      given = t.value;
      continue;
    }
    if (t.kind !== 'option') continue;
    if (!(allowed as readonly string[]).includes(t.name)) throw new UsageError(`unknown option '${t.rawName}'`, name, true);
    const o = t.name as OptionName;
    if (OPTIONS[o].type === 'boolean') {
      if (t.value !== undefined) throw new UsageError(`--${o}: takes no value, got '${t.value}'`, name);
    } else if (t.value === undefined || t.value === '') {
      throw new UsageError(`--${o}: a value is required`, name);
    } else if (!t.inlineValue && t.value.startsWith('-')) {
      // `-j --verbose`: the next option was taken as the value.
      throw new UsageError(`--${o}: a value is required, got the option '${t.value}' (write --${o}=${t.value} if it is the value)`, name);
    }
  }
  const parsed: Parsed = { command: name, values: values as Parsed['values'], ...(given !== undefined ? { argument: given } : {}) };
  if (argument && given === undefined && !parsed.values.help) throw new UsageError(`${argument.name}: an argument is required (${argument.help})`, name, true);
  // Values with a fixed form are checked before anything runs.
  for (const o of allowed) if ('count' in OPTIONS[o]) option.int(parsed, o);
  for (const o of allowed) if ('seconds' in OPTIONS[o]) option.seconds(parsed, o);
  return parsed;
}

/** Typed readers for option values; errors name the option. */
export const option = {
  string(p: Parsed, name: OptionName): string | undefined {
    const v = p.values[name];
    return typeof v === 'string' && v !== '' ? v : undefined;
  },
  int(p: Parsed, name: OptionName): number | undefined {
    const v = option.string(p, name);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--${name}: expected a whole number >= 1, got '${v}'`, p.command);
    return Number(v);
  },
  seconds(p: Parsed, name: OptionName): number | undefined {
    const v = option.string(p, name);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new UsageError(`--${name}: expected a whole number of seconds (0 or more), got '${v}'`, p.command);
    return Number(v);
  },
  choice<T extends string>(p: Parsed, name: OptionName, choices: readonly T[]): T | undefined {
    const v = option.string(p, name);
    if (v === undefined) return undefined;
    if (!(choices as readonly string[]).includes(v)) throw new UsageError(`--${name}: expected one of ${choices.join(', ')}, got '${v}'`, p.command);
    return v as T;
  },
  list(p: Parsed, name: OptionName): string[] {
    return (option.string(p, name) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  },
};
