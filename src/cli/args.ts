import { parseArgs } from 'node:util';
import { DiracosError } from '../shared/errors.js';

/** Every option of the CLI, once; subcommands pick theirs by name. */
export const OPTIONS = {
  manifest: { type: 'string', short: 'm', default: 'diracos.yaml', value: 'FILE', help: 'the DIRACOS manifest' },
  workdir: { type: 'string', short: 'w', default: '.work', value: 'DIR', help: 'scratch and output folder' },
  jobs: { type: 'string', short: 'j', value: 'N', help: 'parallel jobs (default: number of CPUs)' },
  runtime: { type: 'string', default: 'auto', value: 'auto|podman|docker|host', help: 'where builds and tests run' },
  'cache-dir': { type: 'string', value: 'DIR', help: 'cache between runs (default: $XDG_CACHE_HOME/diracos or ~/.cache/diracos)' },
  only: { type: 'string', value: 'a,b', help: 'build only these packages (with what they need)' },
  backend: { type: 'string', value: 'container|mock', help: "build backend (default: the manifest's)" },
  compression: { type: 'string', value: 'gzip|zstd', help: "tarball compression (default: the manifest's)" },
  platform: { type: 'string', value: 'NAME', help: 'test this platform only (default: all)' },
  tarball: { type: 'string', value: 'FILE', help: 'tarball to test (default: the one `diracos bundle` made)' },
  verbose: { type: 'boolean', short: 'v', help: 'show debug lines' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} as const;

export type OptionName = keyof typeof OPTIONS;

const RUN: OptionName[] = ['manifest', 'workdir', 'jobs', 'runtime', 'cache-dir', 'verbose', 'help'];

/** The subcommands, their summaries and their options. */
export const COMMANDS = {
  validate: { summary: 'check the manifest and print what it describes', options: ['manifest', 'verbose', 'help'] },
  'bootstrap-python': { summary: 'build (or restore) the CPython RPM', options: RUN },
  'build-rpms': { summary: 'build the packages into the RPM repository', options: [...RUN, 'only', 'backend'] },
  bundle: { summary: 'make the relocatable DIRACOS tarball from the repository', options: [...RUN, 'compression'] },
  'test-platforms': { summary: 'check the tarball on every platform', options: [...RUN, 'tarball', 'platform'] },
  build: { summary: 'all stages in order: bootstrap-python, build-rpms, bundle, test-platforms', options: [...RUN, 'only', 'backend', 'compression', 'platform'] },
} as const satisfies Record<string, { summary: string; options: readonly OptionName[] }>;

export type CommandName = keyof typeof COMMANDS;

export interface Parsed {
  command: CommandName;
  values: Partial<Record<OptionName, string | boolean>>;
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
  const width = Math.max(...rows.map((r) => r.flag.length));
  return [`usage: diracos ${command} [options]`, '', COMMANDS[command].summary, '', 'options:', ...rows.map((r) => `  ${r.flag.padEnd(width)}  ${r.help}`)].join('\n');
}

/** argv (without node and the script) -> command and options; bad usage is a DiracosError. */
export function parseCommandLine(argv: string[]): Parsed | 'help' {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return 'help';
  if (!(command in COMMANDS)) throw new DiracosError(`unknown command '${command}'\n${usage()}`);
  const name = command as CommandName;
  const options = Object.fromEntries(
    COMMANDS[name].options.map((o) => {
      const spec = OPTIONS[o];
      return [o, { type: spec.type, ...('short' in spec ? { short: spec.short } : {}), ...('default' in spec ? { default: spec.default } : {}) }];
    }),
  );
  try {
    const { values } = parseArgs({ args: rest, options, strict: true, allowPositionals: false });
    return { command: name, values: values as Parsed['values'] };
  } catch (e) {
    throw new DiracosError(`${(e as Error).message}\nrun 'diracos ${name} --help' for the options`);
  }
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
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new DiracosError(`--${name}: expected a whole number >= 1, got '${v}'`);
    return Number(v);
  },
  choice<T extends string>(p: Parsed, name: OptionName, choices: readonly T[]): T | undefined {
    const v = option.string(p, name);
    if (v === undefined) return undefined;
    if (!(choices as readonly string[]).includes(v)) throw new DiracosError(`--${name}: expected one of ${choices.join(', ')}, got '${v}'`);
    return v as T;
  },
  list(p: Parsed, name: OptionName): string[] {
    return (option.string(p, name) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  },
};
