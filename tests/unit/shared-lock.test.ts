import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiracosError } from '../../src/shared/errors.js';
import { acquireLock, holding } from '../../src/shared/lock.js';

let dir: string;
const children: ChildProcess[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shared-lock-'));
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A running process of this host and its start time, as a lock holder records them. */
async function liveProcess(): Promise<{ pid: number; start: string; child: ChildProcess }> {
  const child = spawn('sleep', ['120']);
  children.push(child);
  const stat = await readFile(`/proc/${child.pid}/stat`, 'utf8');
  return { pid: child.pid!, start: stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!, child };
}

async function writeHolder(file: string, holder: { pid: number; start?: string; host?: string; command?: string }): Promise<void> {
  const h = { host: hostname(), command: 'diracos build-rpms -m other.yaml', since: '2025-01-02T03:04:05.000Z', token: 'other', ...holder };
  await writeFile(file, JSON.stringify(h) + '\n');
}

describe('acquireLock', () => {
  it('a live holder: says who holds it (pid, host, command, since) at once and periodically, and gives up at the timeout', async () => {
    const file = join(dir, 'live.lock');
    const holder = await liveProcess();
    await writeHolder(file, holder);
    const waits: string[] = [];
    const started = Date.now();
    const err = await acquireLock(file, { what: 'the thing /srv/x', timeoutSeconds: 1, pollMs: 50, noticeSeconds: 0.3, onWait: (m) => waits.push(m) }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const who = `the thing /srv/x is in use by another run: pid ${holder.pid} on host ${hostname()}, command 'diracos build-rpms -m other.yaml', since 2025-01-02T03:04:05.000Z (`;
    expect(err).toBeInstanceOf(DiracosError);
    expect((err as Error).message).toMatch(new RegExp(`^${esc(who)}\\d+ \\w+ ago\\); gave up after \\d+ s of waiting \\(lock timeout 1 s\\); if that process is stuck, stop it \\(kill ${holder.pid}\\)$`));
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(waits[0]).toMatch(new RegExp(`^${esc(who)}.*\\); waiting for it to finish \\(at most 1 s, waited 0 s so far; if that process is stuck, stop it \\(kill ${holder.pid}\\)\\)$`));
    // The holder's file is left as it was.
    expect(JSON.parse(await readFile(file, 'utf8')).token).toBe('other');
  });

  it('takes the lock once its holder is gone, saying so; release removes it', async () => {
    const file = join(dir, 'ends.lock');
    const holder = await liveProcess();
    await writeHolder(file, holder);
    const takeovers: string[] = [];
    const acquiring = acquireLock(file, { what: 'the thing /srv/y', pollMs: 50, onTakeover: (m) => takeovers.push(m) });
    await new Promise((r) => setTimeout(r, 300));
    expect(takeovers).toEqual([]);
    holder.child.kill('SIGKILL');
    const lock = await acquiring;
    expect(takeovers).toEqual([expect.stringMatching(new RegExp(`^the thing /srv/y: taking over the lock left by pid ${holder.pid} on host ${esc(hostname())}, .*, which is no longer running$`))]);
    const mine = JSON.parse(await readFile(file, 'utf8'));
    expect(mine).toMatchObject({ pid: process.pid, host: hostname() });
    expect(mine.command).toContain('node');
    await lock.release();
    expect(existsSync(file)).toBe(false);
  });

  it('a pid reused by another process is not the holder: its lock is taken over at once', async () => {
    const file = join(dir, 'reused.lock');
    const other = await liveProcess();
    await writeHolder(file, { pid: other.pid, start: '1' });
    const takeovers: string[] = [];
    const lock = await acquireLock(file, { what: 'the thing', timeoutSeconds: 0, onTakeover: (m) => takeovers.push(m) });
    expect(takeovers).toHaveLength(1);
    await lock.release();
  });

  it('a holder on another host is never taken over: the error says to delete the file once sure it is gone', async () => {
    const file = join(dir, 'remote.lock');
    await writeHolder(file, { pid: 4242, host: 'build-07.example.org' });
    const err = await acquireLock(file, { what: 'the repository /nfs/repo', timeoutSeconds: 0 }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^the repository \/nfs\/repo is in use by another run: pid 4242 on host build-07\.example\.org, .*; gave up after 0 s/);
    expect((err as Error).message).toContain(`if no such process runs on host build-07.example.org, delete ${file}`);
  });

  it('two holders in one process take turns', async () => {
    const file = join(dir, 'turns.lock');
    const first = await acquireLock(file, { what: 'x' });
    let second: Awaited<ReturnType<typeof acquireLock>> | undefined;
    const pending = acquireLock(file, { what: 'x' }).then((l) => (second = l));
    await new Promise((r) => setTimeout(r, 200));
    expect(second).toBeUndefined();
    await first.release();
    await pending;
    expect(existsSync(file)).toBe(true);
    await second!.release();
    expect(existsSync(file)).toBe(false);
  });

  it('processes racing for it: one at a time, every one gets it', async () => {
    const file = join(dir, 'race.lock');
    const log = join(dir, 'race.log');
    const script = join(dir, 'racer.ts');
    const lockModule = fileURLToPath(new URL('../../src/shared/lock.ts', import.meta.url));
    await writeFile(
      script,
      [
        `import { appendFileSync } from 'node:fs';`,
        `import { acquireLock } from ${JSON.stringify(lockModule)};`,
        `const lock = await acquireLock(${JSON.stringify(file)}, { what: 'race', pollMs: 20 });`,
        `appendFileSync(${JSON.stringify(log)}, 'in ' + process.pid + '\\n');`,
        `await new Promise((r) => setTimeout(r, 300));`,
        `appendFileSync(${JSON.stringify(log)}, 'out ' + process.pid + '\\n');`,
        `await lock.release();`,
      ].join('\n'),
    );
    const viteNode = fileURLToPath(new URL('../../node_modules/.bin/vite-node', import.meta.url));
    const racers = Array.from({ length: 3 }, () => spawn(viteNode, [script], { stdio: 'inherit' }));
    children.push(...racers);
    const codes = await Promise.all(racers.map((r) => new Promise((resolve) => r.on('close', resolve))));
    expect(codes).toEqual([0, 0, 0]);
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(6);
    for (let i = 0; i < 6; i += 2) expect([lines[i]!.split(' ')[0], lines[i + 1]]).toEqual(['in', `out ${lines[i]!.split(' ')[1]}`]);
    expect(new Set(lines.map((l) => l.split(' ')[1])).size).toBe(3);
    expect(existsSync(file)).toBe(false);
  }, 60_000);
});

describe('holding', () => {
  it('is re-entrant for the work it runs (a merge inside a build), and exclusive for other work of the process', async () => {
    const file = join(dir, 'reentrant.lock');
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const outer = holding(acquireLock(file, { what: 'the test repository' }), async () => {
      // taken again inside: goes on at once (before the fix this waited for itself forever)
      const inner = await acquireLock(file, { what: 'the test repository', timeoutSeconds: 0 });
      order.push('inner');
      await inner.release();
      expect(existsSync(file)).toBe(true); // the inner release does not drop the outer hold
      await gate;
      order.push('outer done');
    });
    // other work of the same process waits for the outer hold
    const other = holding(acquireLock(file, { what: 'the test repository' }), async () => {
      order.push('other');
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(order).toEqual(['inner']);
    release();
    await Promise.all([outer, other]);
    expect(order).toEqual(['inner', 'outer done', 'other']);
    expect(existsSync(file)).toBe(false);
  });
});
