/** What a user sees while a long step runs: a live status line on a terminal, "still ..." lines in logs, table notes. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ActionsReporter } from '../../src/actions/shared/reporter.js';
import { TerminalReporter } from '../../src/cli/terminal.js';
import { ActivityBoard, formatElapsed, Heartbeat, statusLine } from '../../src/reporting/progress.js';

function sink(isTTY = false) {
  const s = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
  s.isTTY = isTTY;
  s.columns = 200;
  let data = '';
  s.on('data', (d: Buffer) => (data += d.toString()));
  const waiters: Array<{ re: RegExp; resolve: () => void }> = [];
  s.on('data', () => {
    for (const w of waiters.filter((x) => x.re.test(data))) w.resolve();
  });
  return Object.assign(s, {
    text: () => data,
    /** Resolves once the output matches (the test's own timeout bounds the wait). */
    until: (re: RegExp) => (re.test(data) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ re, resolve }))),
  });
}

describe('progress lines', () => {
  it('elapsed times read as a person says them', () => {
    expect([0, 42_900, 60_000, 192_000, 3_900_000].map(formatElapsed)).toEqual(['0s', '42s', '1m 00s', '3m 12s', '1h 05m']);
  });

  it('every interval, one "still ..." line per step that has run that long, with its live log', () => {
    let now = 0;
    const board = new ActivityBoard(() => now);
    const lines: string[] = [];
    const beat = new Heartbeat(board, (l) => lines.push(l), 60_000);
    board.start({ what: 'building openssl', log: '/w/build-rpms/logs/openssl.log' });
    now = 150_000;
    board.start({ what: 'building zlib', log: '/w/build-rpms/logs/zlib.log' });
    now = 192_000;
    beat.tick();
    expect(lines).toEqual(['still building openssl (3m 12s), log: /w/build-rpms/logs/openssl.log']);
  });

  it('a terminal status line names every running step, the oldest with its log, cut to the width', () => {
    const running = [
      { id: 1, what: 'building zlib', since: 150_000 },
      { id: 0, what: 'building openssl', log: '/w/openssl.log', since: 0 },
    ];
    expect(statusLine(running, 192_000, 200)).toBe('… building openssl (3m 12s), log: /w/openssl.log | building zlib (42s)');
    expect(statusLine(running, 192_000, 20)).toHaveLength(20);
    expect(statusLine([], 0, 80)).toBe('');
  });
});

describe('TerminalReporter while a step runs', () => {
  it('on a terminal: a status line rewritten in place, moved below every output line, cleared at the end', async () => {
    const out = sink(true);
    const r = new TerminalReporter({ out, err: sink(true), tty: true, verbose: false, progressIntervalMs: 10 });
    await r.progress({ what: 'building openssl', log: '/w/openssl.log' }, async () => {
      await out.until(/building openssl \(0s\), log: \/w\/openssl\.log/);
      r.info('a line of output');
    });
    const text = out.text();
    // the line is printed over the cleared status line, then the status comes back under it
    const ESC = '\x1b';
    expect(text).toContain(`\r${ESC}[Ka line of output\n\r${ESC}[K${ESC}[2m… building openssl`);
    expect(text.endsWith('\r\x1b[K')).toBe(true);
  });

  it('off a terminal (CI, a pipe): "still ..." lines, never control characters', async () => {
    const out = sink(false);
    const r = new TerminalReporter({ out, err: sink(false), tty: false, verbose: false, progressIntervalMs: 10 });
    await r.progress({ what: 'building openssl', log: '/w/openssl.log' }, () => out.until(/still building openssl \(\d+s\), log: \/w\/openssl\.log\n/));
    expect(out.text()).not.toContain('\x1b');
  });

  it('prints the notes of a table below it', () => {
    const out = sink(false);
    new TerminalReporter({ out, err: sink(false), tty: false, verbose: false }).table({ title: 't', header: ['platform', 'ldd'], rows: [['cc7', '1 failed, 3 ok']], notes: ['cc7 ldd: usr/bin/x: libfoo.so.1 not found'] });
    expect(out.text()).toBe('t\nplatform  ldd\n--------  --------------\ncc7       1 failed, 3 ok\ncc7 ldd: usr/bin/x: libfoo.so.1 not found\n');
  });
});

describe('ActionsReporter', () => {
  it('writes "still ..." lines into the job log while a step runs', async () => {
    const r = new ActionsReporter('build-rpms', 10);
    const written: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    let seen: () => void = () => undefined;
    const still = new Promise<void>((resolve) => (seen = resolve));
    process.stdout.write = ((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      if (String(chunk).startsWith('still building openssl')) seen();
      return true;
    }) as typeof process.stdout.write;
    try {
      await r.progress({ what: 'building openssl', log: '/w/openssl.log' }, () => still);
    } finally {
      process.stdout.write = write;
    }
    expect(written.find((l) => l.startsWith('still'))).toMatch(/^still building openssl \(\d+s\), log: \/w\/openssl\.log/);
  });

  it('puts table notes under the table in the job summary, as text', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'summary-'));
    const file = join(dir, 'summary.md');
    const before = process.env.GITHUB_STEP_SUMMARY;
    process.env.GITHUB_STEP_SUMMARY = file;
    try {
      await (await import('node:fs/promises')).writeFile(file, '');
      const r = new ActionsReporter('test-platforms');
      r.table({ title: 'test-platforms', header: ['platform', 'ldd'], rows: [['cc7', '1 failed']], notes: ['cc7 ldd: usr/bin/x: <libfoo.so.1> not found & more'] });
      await r.flush();
      const html = await readFile(file, 'utf8');
      expect(html).toContain('<td>1 failed</td></tr></table>\n<ul><li>cc7 ldd: usr/bin/x: &lt;libfoo.so.1&gt; not found &amp; more</li></ul>');
    } finally {
      if (before === undefined) delete process.env.GITHUB_STEP_SUMMARY;
      else process.env.GITHUB_STEP_SUMMARY = before;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
