/**
 * Two runs at once: on one repository (from two work folders) and in one work folder. The second waits
 * for the first, naming it, instead of building the same packages again and losing index entries; a dead
 * run's lock is taken over, a live one with no time to wait is an error naming it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRpms, type BuildRpmsResult } from '../../src/build-rpms/index.js';
import { readIndex } from '../../src/repo/index-file.js';
import { repositoryLockFile } from '../../src/repo/lock.js';
import { DiracosError } from '../../src/shared/errors.js';
import { definedManifest, drive, fixtureManifest, lockOf, tempDir, testContext } from './build-rpms-support.js';

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const statuses = (r: BuildRpmsResult) => Object.fromEntries(r.packages.map((p) => [p.name, p.status]));

async function finished(driven: ReturnType<typeof drive>): Promise<{ result: BuildRpmsResult; output: string }> {
  const end = await driven.ended;
  expect(end.code, end.output).toBe(0);
  return { result: JSON.parse(end.output.trim().split('\n').at(-1)!) as BuildRpmsResult, output: end.output };
}

describe('two build-rpms at once', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('on one repository from two work folders: one builds, the other waits naming it, then finds the packages built; the index keeps every package', async () => {
    const dir = await tempDir('concurrent-repo');
    dirs.push(dir);
    await fixtureManifest(join(dir, 'a'), ['libgreet', 'tarpkg'], '', '../repo');
    await fixtureManifest(join(dir, 'b'), ['libgreet', 'fromsrpm'], '', '../repo');
    const a = drive(join(dir, 'a'));
    const b = drive(join(dir, 'b'));
    const [ra, rb] = [await finished(a), await finished(b)];
    // libgreet is built once: the run that waited found it in the repository.
    expect([statuses(ra.result).libgreet, statuses(rb.result).libgreet].sort()).toEqual(['built', 'cached']);
    const [waiter, holder] = statuses(ra.result).libgreet === 'cached' ? [ra, b] : [rb, a];
    expect(waiter.output).toContain(`the repository ${join(dir, 'repo')} is in use by another run: pid ${holder.pid} on host ${hostname()}, command '`);
    expect(waiter.output).toMatch(/build-rpms-driver\.ts [^']*', since \d{4}-\d\d-\d\dT[\d:.]+Z \(\d+ s ago\); waiting for it to finish/);
    const index = await readIndex(join(dir, 'repo/diracos-index.json'));
    expect(Object.keys(index.packages).sort()).toEqual(['fromsrpm', 'libgreet', 'tarpkg']);
    for (const rpm of Object.values(index.packages).flatMap((e) => e.rpms)) expect(existsSync(join(dir, 'repo', rpm)), rpm).toBe(true);
    expect(existsSync(join(dir, 'repo/unindexed'))).toBe(false);
    expect(existsSync(repositoryLockFile(join(dir, 'repo')))).toBe(false);
  }, 300_000);

  it('in one work folder: the second waits for the first, naming it, and builds nothing again', async () => {
    const dir = await tempDir('concurrent-work');
    dirs.push(dir);
    await fixtureManifest(dir, ['libgreet', 'hello']);
    const first = drive(dir);
    // The first holds the work folder from its start: wait for its lock, then start the second.
    while (!existsSync(join(dir, 'work/build-rpms/.diracos-lock'))) await new Promise((r) => setTimeout(r, 100));
    const second = drive(dir);
    const [r1, r2] = [await finished(first), await finished(second)];
    expect(statuses(r1.result)).toEqual({ libgreet: 'built', hello: 'built' });
    expect(statuses(r2.result)).toEqual({ libgreet: 'cached', hello: 'cached' });
    expect(r2.result.packages.map((p) => p.key)).toEqual(r1.result.packages.map((p) => p.key));
    expect(r2.output).toContain(`the work folder ${join(dir, 'work/build-rpms')} is in use by another run: pid ${first.pid} on host ${hostname()}`);
  }, 300_000);

  it("takes over a dead run's lock, saying so; with a live holder and no time to wait, fails at once naming it", async () => {
    const dir = await tempDir('concurrent-stale');
    dirs.push(dir);
    const m = await definedManifest(dir, 'one');
    const ctx = await testContext(dir, 1);
    const lockFile = repositoryLockFile(m.repository);
    await mkdir(m.repository, { recursive: true });

    const gone = spawn('true');
    await new Promise((r) => gone.on('close', r));
    await writeFile(lockFile, await lockOf(gone.pid!, 'diracos build-rpms -m gone.yaml'));
    expect(statuses(await buildRpms(ctx, m))).toEqual({ defined: 'built' });
    expect(ctx.reporter.messages('warning')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^the repository ${esc(m.repository)}: taking over the lock left by pid ${gone.pid} on host ${esc(hostname())}, command 'diracos build-rpms -m gone\\.yaml', ` +
            `since 2025-01-02T03:04:05\\.000Z \\(\\d+ \\w+ ago\\), which is no longer running$`,
        ),
      ),
    ]);
    expect(existsSync(lockFile)).toBe(false);

    const live = spawn('sleep', ['60']);
    try {
      await writeFile(lockFile, await lockOf(live.pid!, 'diracos build-rpms -m other.yaml'));
      const err = await buildRpms(ctx, m, { lockTimeoutSeconds: 0 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DiracosError);
      expect((err as Error).message).toMatch(
        new RegExp(
          `^the repository ${esc(m.repository)} is in use by another run: pid ${live.pid} on host ${esc(hostname())}, command 'diracos build-rpms -m other\\.yaml', ` +
            `since 2025-01-02T03:04:05\\.000Z \\(\\d+ \\w+ ago\\); gave up after 0 s of waiting \\(lock timeout 0 s\\); if that process is stuck, stop it \\(kill ${live.pid}\\)$`,
        ),
      );
      // The holder's lock is left alone.
      expect(JSON.parse(await readFile(lockFile, 'utf8')).pid).toBe(live.pid);
    } finally {
      live.kill();
    }
  });
});
