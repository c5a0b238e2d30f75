/** The lock the integration tests share (tests/support/lock.ts): a killed run's lock must not block the next runs. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentOwner, LEGACY_STALE_MS, ownerAlive, tryLock, withLock } from '../support/lock.js';

const LOCK_MODULE = join(import.meta.dirname, '../support/lock.ts');
const VITE_NODE = join(import.meta.dirname, '../../node_modules/vite-node/vite-node.mjs');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'test-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Another process that takes the lock with the real helper and keeps it until killed. */
async function holder(lock: string): Promise<{ kill(): Promise<void> }> {
  const script = join(dir, 'holder.ts');
  await writeFile(script, `import { tryLock } from ${JSON.stringify(LOCK_MODULE)};\nif (!(await tryLock(process.argv[2]))) process.exit(3);\nconsole.log('held');\nsetInterval(() => undefined, 1000);\n`);
  const child = spawn(process.execPath, [VITE_NODE, script, lock], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => (d.toString().includes('held') ? resolve() : undefined));
    child.on('exit', (code) => reject(new Error(`holder exited with ${code} before taking the lock`)));
  });
  return {
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

describe('the shared test lock', () => {
  it('waits while its holder lives and is taken over at once when the holder was killed', async () => {
    const lock = join(dir, 'example.lock');
    const h = await holder(lock);
    expect(await tryLock(lock)).toBe(false);
    expect(JSON.parse(await readFile(join(lock, 'owner.json'), 'utf8'))).toMatchObject({ pid: expect.any(Number) });
    await h.kill();
    // before: a lock was only broken after 2 hours, so this waited past every hook's timeout
    expect(await withLock(lock, async () => (existsSync(lock) ? 'ran holding it' : 'ran without it'), 50)).toBe('ran holding it');
    expect(existsSync(lock)).toBe(false);
  });

  it('tells a live owner from one whose pid was reused by a later process', () => {
    const me = currentOwner();
    expect(ownerAlive(me)).toBe(true);
    expect(ownerAlive({ ...me, started: `${me.started}1` })).toBe(false);
  });

  it('leaves a lock without an owner record (an older helper\'s) alone until it is older than any test hook', async () => {
    const lock = join(dir, 'legacy.lock');
    await mkdir(lock);
    expect(await tryLock(lock)).toBe(false);
    expect(existsSync(lock)).toBe(true);
    const old = (Date.now() - LEGACY_STALE_MS - 60_000) / 1000;
    await utimes(lock, old, old);
    expect(await tryLock(lock)).toBe(false); // this attempt broke it
    expect(await tryLock(lock)).toBe(true);
  });
});
