import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandHelp, COMMANDS, parseCommandLine } from '../../src/cli/args.js';
import { main } from '../../src/cli/main.js';
import { renderTable, TerminalReporter } from '../../src/cli/terminal.js';
import { systemFailure } from '../../src/rules/system-errors.js';
import { DiracosError } from '../../src/shared/errors.js';

const GOOD = resolve('tests/fixtures/manifest/good.yaml');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-main-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sink(isTTY = false): PassThrough & { isTTY: boolean; text: () => string } {
  const s = new PassThrough() as PassThrough & { isTTY: boolean; text: () => string };
  const chunks: string[] = [];
  s.on('data', (c: Buffer) => chunks.push(c.toString()));
  s.isTTY = isTTY;
  s.text = () => chunks.join('');
  return s;
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const code = await main(argv, { out: out as unknown as typeof process.stdout, err: err as unknown as typeof process.stderr });
  return { code, out: out.text(), err: err.text() };
}

describe('diracos validate', () => {
  it('accepts a good manifest and describes it', async () => {
    const r = await cli('validate', '--manifest', GOOD);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain(`${GOOD}: valid`);
    expect(r.out).toContain('DIRACOS 2.0.1 (x86_64), Python 3.11.2, built on bullseye');
    expect(r.out).toMatch(/bootstrap \(bootstrap\)\s+gdb/);
    expect(r.out).toMatch(/python-deps\s+zlib, libffi/);
    expect(r.out).toMatch(/cc7\s+centos:7\s+el\s+yes/);
  });

  it('shows a platform that omits required as required (the default)', async () => {
    const file = join(dir, 'defaults.yaml');
    writeFileSync(
      file,
      [
        'version: "1"',
        'repository: repo',
        'python: { version: "3.11.2", source: { url: "https://example.invalid/Python.tgz", sha256: "' + '0'.repeat(64) + '" } }',
        'build: { platform: deb, packageGroups: [] }',
        'platforms:',
        '  - { name: deb, image: img, family: debian }',
        '  - { name: opt, image: img2, family: debian, required: false }',
      ].join('\n'),
    );
    const r = await cli('validate', '-m', file);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/deb\s+img\s+debian\s+yes/);
    expect(r.out).toMatch(/opt\s+img2\s+debian\s+no/);
  });

  it('prints file:line:col: key.path: message for every problem and exits 1', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: "1"\nrepository: repo\npython:\n  version: 3\nbuild: {platform: nope, packageGroups: []}\nplatforms: []\n');
    const r = await cli('validate', '-m', bad);
    expect(r.code).toBe(1);
    const lines = r.err.trim().split('\n');
    expect(lines).toContain(`${bad}:4:3: python: missing required key 'source'`);
    expect(lines).toContain(`${bad}:4:12: python.version: expected a string, got number 3 (quote it)`);
    expect(lines).toContain(`${bad}:6:12: platforms: needs at least 1 item`);
    expect(lines.at(-1)).toBe(`diracos validate: ${bad}: 3 problem(s) in the manifest`);
    expect(r.out).toBe('');
  });

  it('a missing manifest is a user error naming the file', async () => {
    const r = await cli('validate', '--manifest', join(dir, 'nope.yaml'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^${join(dir, 'nope.yaml')}: cannot read manifest: ENOENT`));
  });

  it('every stage command checks the manifest before anything else', async () => {
    const bad = join(dir, 'empty.yaml');
    writeFileSync(bad, '');
    for (const command of ['bootstrap-python', 'build-rpms', 'bundle', 'test-platforms', 'build'] as const) {
      const r = await cli(command, '--manifest', bad, '--workdir', join(dir, 'work'), '--runtime', 'host');
      // Without the stage modules the command cannot load: that is a bug (2), not this check.
      expect.soft(r.code, `${command}: ${r.err}`).toBe(1);
      expect.soft(r.err, command).toContain(`${bad}:1:1: the manifest is empty`);
    }
  });
});

describe('folders and the machine', () => {
  it('-w or --cache-dir at a file (or below one) is a one-line error naming the option, exit 1, for every stage command', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a folder');
    for (const command of ['bootstrap-python', 'build-rpms', 'bundle', 'test-platforms', 'build'] as const) {
      const r = await cli(command, '-m', GOOD, '-w', file, '--runtime', 'host');
      expect.soft(r.code, `${command}: ${r.err}`).toBe(1);
      expect.soft(r.err, command).toBe(`diracos ${command}: --workdir: '${file}' exists and is not a folder\n`);
    }
    const below = await cli('bundle', '-m', GOOD, '-w', join(file, 'sub'), '--runtime', 'host');
    expect(below.err).toBe(`diracos bundle: --workdir: '${join(file, 'sub')}' cannot be a folder: a part of that path is a file\n`);
    const cache = await cli('bundle', '-m', GOOD, '-w', join(dir, 'w-ok'), '--cache-dir', file, '--runtime', 'host');
    expect(cache.err).toBe(`diracos bundle: --cache-dir: '${file}' exists and is not a folder\n`);
    expect(cache.code).toBe(1);
  });

  it('a build that fails still prints the table of what each stage did, and which never ran', async () => {
    const file = join(dir, 'unreachable.yaml');
    writeFileSync(
      file,
      [
        'version: "1"',
        'repository: repo',
        // port 9 is one fetch refuses: the stage fails at once, offline
        'python: { version: "3.11.2", source: { url: "http://127.0.0.1:9/Python-3.11.2.tgz", sha256: "' + 'ab'.repeat(32) + '" } }',
        'build: { platform: deb, packageGroups: [] }',
        'platforms: [{ name: deb, image: img, family: debian }]',
      ].join('\n'),
    );
    const r = await cli('build', '-m', file, '-w', join(dir, 'w-build'), '--cache-dir', join(dir, 'cache-build'), '--runtime', 'host');
    expect(r.code).toBe(1);
    const table = r.out.slice(r.out.indexOf('DIRACOS build\n')).split('\n');
    expect(table[0]).toBe('DIRACOS build');
    expect(table[1]).toMatch(/^stage\s+result\s+seconds\s+detail$/);
    expect(table[3]).toMatch(/^bootstrap-python\s+FAILED\s+\d+\s+package 'diracos-python3.11': url http:\/\/127\.0\.0\.1:9\/Python-3\.11\.2\.tgz: /);
    expect(table.slice(4, 7).map((l) => l.split(/\s+/).join(' '))).toEqual(['build-rpms not run - -', 'bundle-diracos not run - -', 'test-platforms not run - -']);
    expect(r.err).toMatch(/^diracos build: package 'diracos-python3.11': url http:\/\/127\.0\.0\.1:9\//);
  });

  it('a full disk, a quota, a read-only file system: one line with a hint, never an internal error', () => {
    let full: unknown;
    try {
      writeFileSync('/dev/full', 'x'); // ENOSPC on every write, as a full disk
    } catch (e) {
      full = e;
    }
    const e = systemFailure(full, 'writing the tarball /out/x.tar.gz');
    expect(e).toBeInstanceOf(DiracosError);
    expect(e!.message).toBe('writing the tarball /out/x.tar.gz: no space left on the device [ENOSPC]; free space there, or use a work folder (--workdir) on a larger file system');
    // An error that names its path says it.
    const denied = Object.assign(new Error('EACCES'), { code: 'EACCES', syscall: 'open', path: '/out/x' });
    expect(systemFailure(denied, 'publishing')!.message).toMatch(/^publishing: permission denied \(open \/out\/x\) \[EACCES\]; /);
    // Anything else stays what it was (a bug of ours is reported as one).
    expect(systemFailure(new Error('boom'), 'x')).toBeUndefined();
    expect(systemFailure(new DiracosError('known'), 'x')).toBeUndefined();
  });
});

describe('command line', () => {
  it('usage errors: one line, `diracos <command>: ` then the option, exit 1', async () => {
    const nowhere = ['--manifest', join(dir, 'nope.yaml'), '--workdir', join(dir, 'w')];
    const cases: [string[], string][] = [
      [['frobnicate'], "diracos: unknown command 'frobnicate' (see diracos --help)"],
      [['toString'], "diracos: unknown command 'toString' (see diracos --help)"],
      [['build', '--frobnicate'], "diracos build: unknown option '--frobnicate' (see diracos build --help)"],
      [['build', '-x'], "diracos build: unknown option '-x' (see diracos build --help)"],
      [['validate', '--jobs', '3'], "diracos validate: unknown option '--jobs' (see diracos validate --help)"],
      [['validate', 'diracos.yaml'], "diracos validate: unexpected argument 'diracos.yaml' (see diracos validate --help)"],
      [['build', '-j'], 'diracos build: --jobs: a value is required'],
      [['build', '--jobs='], 'diracos build: --jobs: a value is required'],
      [['build', '-j', '--verbose'], "diracos build: --jobs: a value is required, got the option '--verbose' (write --jobs=--verbose if it is the value)"],
      [['build', '--verbose=yes'], "diracos build: --verbose: takes no value, got 'yes'"],
      // Checked before the manifest is read: that one does not exist.
      [['build', '--jobs', 'zero', ...nowhere], "diracos build: --jobs: expected a whole number >= 1, got 'zero'"],
      [['build-rpms', '-j0', ...nowhere], "diracos build-rpms: --jobs: expected a whole number >= 1, got '0'"],
      [['build-rpms', '--manifest', GOOD, '--jobs', 'many', '--workdir', join(dir, 'w')], "diracos build-rpms: --jobs: expected a whole number >= 1, got 'many'"],
      [['build-rpms', '--manifest', GOOD, '--runtime', 'lxc', '--workdir', join(dir, 'w')], "diracos build-rpms: --runtime: expected one of auto, docker, podman, host, got 'lxc'"],
      [['build-rpms', '--manifest', GOOD, '--only', 'zlib,nosuch', '--workdir', join(dir, 'w')], `diracos build-rpms: --only: package(s) not in ${GOOD}: nosuch`],
      [
        ['test-platforms', '--manifest', GOOD, '--platform', 'sles', '--workdir', join(dir, 'w')],
        `diracos test-platforms: --platform: no platform 'sles' in ${GOOD} (it has: bullseye, cc7, or all)`,
      ],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      expect.soft({ argv, code: r.code, err: r.err, out: r.out }).toEqual({ argv, code: 1, err: message + '\n', out: '' });
    }
  });

  it('--lock-timeout: seconds (0 fails at once), taken by the commands that build, checked before anything runs', async () => {
    const nowhere = ['--manifest', join(dir, 'nope.yaml'), '--workdir', join(dir, 'w')];
    for (const command of ['build-rpms', 'bootstrap-python', 'bundle', 'build'] as const) {
      expect(parseCommandLine([command, '--lock-timeout', '0'])).toMatchObject({ values: { 'lock-timeout': '0' } });
      expect(commandHelp(command)).toMatch(/--lock-timeout SECONDS\s+when another run holds the work folder or the repository: wait at most this long, 0 to fail at once/);
      const r = await cli(command, '--lock-timeout', 'soon', ...nowhere);
      expect({ code: r.code, err: r.err }).toEqual({ code: 1, err: `diracos ${command}: --lock-timeout: expected a whole number of seconds (0 or more), got 'soon'\n` });
    }
    expect((await cli('test-platforms', '--lock-timeout', '5', ...nowhere)).err).toBe("diracos test-platforms: unknown option '--lock-timeout' (see diracos test-platforms --help)\n");
  });

  it('--help lists each command and its options', async () => {
    const top = await cli('--help');
    expect(top.code).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(top.out).toContain(`  ${name}`);
    const help = await cli('test-platforms', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toBe(commandHelp('test-platforms') + '\n');
    expect(help.out).toMatch(/--tarball FILE/);
    expect(help.out).toMatch(/-m, --manifest FILE\s+the DIRACOS manifest \(default: diracos.yaml\)/);
    expect(help.out).not.toMatch(/--only/);
  });

  it('parses the options each command takes, with defaults', () => {
    const p = parseCommandLine(['build', '-j', '4', '--only', 'a,b', '--platform', 'cc7']);
    expect(p).toEqual({
      command: 'build',
      values: { jobs: '4', only: 'a,b', platform: 'cc7', manifest: 'diracos.yaml', workdir: '.work', runtime: 'auto' },
    });
    expect(parseCommandLine([])).toBe('help');
  });
});

describe('TerminalReporter', () => {
  it('plain logs off a terminal: groups open and close with a status, warnings carry locations', async () => {
    const out = sink();
    const err = sink();
    const r = new TerminalReporter({ out, err, tty: false, verbose: false });
    await r.group('stage', async () => {
      r.info('step one');
      r.debug('hidden');
      r.warning('odd value', { file: 'm.yaml', line: 3, col: 5 });
    });
    await expect(r.group('broken', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const lines = out.text().split('\n');
    expect(lines[0]).toBe('--- stage');
    expect(lines[1]).toBe('  step one');
    expect(lines[2]).toMatch(/^--- done: stage \(\d+\.\ds\)$/);
    expect(lines[3]).toBe('--- broken');
    expect(lines[4]).toMatch(/^--- FAILED: broken/);
    expect(out.text()).not.toContain('hidden');
    expect(err.text()).toBe('  warning: m.yaml:3:5: odd value\n');
  });

  it('on a terminal: headers and coloured status lines; debug with --verbose', async () => {
    const out = sink(true);
    const r = new TerminalReporter({ out, err: sink(true), tty: true, verbose: true });
    await r.group('bundle', async () => r.debug('detail'));
    expect(out.text()).toContain('\x1b[1m==> bundle\x1b[0m');
    expect(out.text()).toContain('detail');
    expect(out.text()).toContain('\x1b[32m✓ bundle (');
  });

  it('renders tables as aligned columns', () => {
    expect(renderTable({ title: 't', header: ['name', 'n'], rows: [['zlib', '1'], ['a', '22']] })).toBe('name  n\n----  --\nzlib  1\na     22');
  });
});
