/**
 * Kill points of a run's containers: SIGTERM and SIGINT remove the containers the run started before it
 * ends with the signal's status; after SIGKILL (nothing can run) the next run removes them.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { constants, hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRpms } from '../../src/build-rpms/index.js';
import { containersUsing, definedManifest, drive, tempDir, testContext, type Driven } from './build-rpms-support.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the package's build container (the one mounting its tree) runs; fails if the driver ends first. */
async function buildRunning(dir: string, driven: Driven): Promise<void> {
  let ended = false;
  void driven.ended.then(() => (ended = true));
  const tree = join(dir, 'work/build-rpms/trees/defined');
  while ((await containersUsing(tree)).length === 0) {
    expect(ended, `the driver ended before its build started:\n${driven.output()}`).toBe(false);
    await sleep(250);
  }
}

describe('a run stopped by a signal', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} to the engine's process alone: its containers are removed, its locks released, and it ends with the signal`, async () => {
      const dir = await tempDir(`signal-${signal}`);
      dirs.push(dir);
      await definedManifest(dir, 'slow', { sleepSeconds: 300 });
      const driven = drive(dir);
      await buildRunning(dir, driven);
      // Only the node process (not its group): the `podman run` client it started does not get the signal.
      process.kill(driven.pid, signal);
      const end = await driven.ended;
      // Killed by the signal, or (where another handler exits instead, as vite-node's on SIGTERM) its status 128 + n.
      expect([signal, 128 + constants.signals[signal]], end.output).toContain(end.signal ?? end.code);
      // Removed before the process ended: nothing of the run is left (build, spec query or tools container).
      expect(await containersUsing(dir)).toEqual([]);
      expect(existsSync(join(dir, 'repo/.diracos-lock'))).toBe(false);
      expect(existsSync(join(dir, 'work/build-rpms/.diracos-lock'))).toBe(false);
    });
  }

  it('SIGKILL: the containers left running are removed by the next run, which takes over the dead run\'s locks and says so', async () => {
    const dir = await tempDir('signal-kill');
    dirs.push(dir);
    await definedManifest(dir, 'slow', { sleepSeconds: 300 });
    const driven = drive(dir);
    await buildRunning(dir, driven);
    // Nothing can run in a process killed so: its build container keeps running (until a run removes it).
    process.kill(driven.pid, 'SIGKILL');
    expect((await driven.ended).signal).toBe('SIGKILL');

    const ctx = await testContext(dir, 1);
    expect(await containersUsing(dir)).toEqual([]);
    const m = await definedManifest(dir, 'quick');
    const r = await buildRpms(ctx, m);
    expect(r.packages.map((p) => p.status)).toEqual(['built']);
    const warnings = ctx.reporter.messages('warning').join('\n');
    expect(warnings).toContain(`the work folder ${join(dir, 'work/build-rpms')}: taking over the lock left by pid ${driven.pid} on host ${hostname()}`);
    expect(warnings).toMatch(/build-rpms-driver\.ts.*, since \d{4}-\d\d-\d\dT.*, which is no longer running/);
  });
});
