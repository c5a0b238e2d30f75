// kill -9 at every step of publishing the tarball, its checksums and versions.txt: whatever moment the
// process dies at, the published folder holds one consistent set (the old one or the new one), and the
// next run publishes the new set and leaves nothing behind.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DIE_AT_VARIABLE, PUBLISH_STEPS, type PublishStep } from '../../src/bundle-diracos/publish.js';

const VITE_NODE = fileURLToPath(new URL('../../node_modules/.bin/vite-node', import.meta.url));
const DRIVER = fileURLToPath(new URL('./bundle-publish-driver.ts', import.meta.url));
const TARBALL = 'diracos-1.0-x86_64.tar.gz';
const SET = [TARBALL, `${TARBALL}.md5`, `${TARBALL}.sha256`, 'versions.txt'];

const work = mkdtempSync(join(tmpdir(), 'bundle-publish-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function publish(outDir: string, label: string, dieAt?: PublishStep): { status: number | null; signal: NodeJS.Signals | null; output: string } {
  const env = { ...process.env, [DIE_AT_VARIABLE]: dieAt ?? '' };
  const r = spawnSync(VITE_NODE, [DRIVER, outDir, label], { env, encoding: 'utf8' });
  return { status: r.status, signal: r.signal, output: r.stdout + r.stderr };
}

/** Which set `outDir` shows ('absent' when there is none), after checking it is whole and consistent. */
function publishedSet(outDir: string): string {
  if (!existsSync(outDir)) return 'absent';
  expect(readdirSync(outDir).sort()).toEqual(SET);
  // The checksum files verify the tarball beside them, with the standard tools.
  execFileSync('sha256sum', ['--check', '--quiet', `${TARBALL}.sha256`], { cwd: outDir });
  execFileSync('md5sum', ['--check', '--quiet', `${TARBALL}.md5`], { cwd: outDir });
  const inTarball = execFileSync('tar', ['-xzOf', join(outDir, TARBALL), 'diracos-1.0-x86_64/label'], { encoding: 'utf8' }).trim();
  const versions = readFileSync(join(outDir, 'versions.txt'), 'utf8').split('\n')[0];
  expect(versions).toBe(inTarball);
  return inTarball;
}

/** A set as versions before the symlink layout wrote it: plain files in a plain folder. */
function plainOldSet(outDir: string): void {
  const scratch = join(dirname(outDir), 'scratch-old');
  const r = publish(scratch, 'old');
  expect(r.status, r.output).toBe(0);
  mkdirSync(outDir);
  for (const f of SET) writeFileSync(join(outDir, f), readFileSync(join(scratch, f)));
  rmSync(scratch, { recursive: true, force: true });
  for (const f of readdirSync(dirname(outDir))) if (f.startsWith('.scratch-old.')) rmSync(join(dirname(outDir), f), { recursive: true, force: true });
}

/** What a kill at each step leaves visible: the old set until the one rename that switches, then the new one. */
const EXPECTED: Record<PublishStep, string> = { staged: 'old', stored: 'old', linked: 'old', 'moved-aside': 'absent', switched: 'new', cleaned: 'new' };

describe('publishing the outputs, with kill -9 at each step', () => {
  it.each(PUBLISH_STEPS)('killed at %s: one consistent set at every moment, and the re-run completes and cleans up', (step) => {
    const parent = join(work, step);
    mkdirSync(parent);
    const out = join(parent, 'out');
    // moved-aside happens only when the published folder is a plain folder of an older version.
    if (step === 'moved-aside') plainOldSet(out);
    else expect(publish(out, 'old').status).toBe(0);
    expect(publishedSet(out)).toBe('old');

    const killed = publish(out, 'new', step);
    expect(killed.signal, `${step}: ${killed.output}`).toBe('SIGKILL');
    expect(publishedSet(out)).toBe(EXPECTED[step]);

    const again = publish(out, 'new');
    expect(again.status, again.output).toBe(0);
    expect(publishedSet(out)).toBe('new');
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
    // Only the published link and the one folder of its set are left.
    const left = readdirSync(parent).sort();
    expect(left).toHaveLength(2);
    expect(left[0]).toMatch(/^\.out\.[0-9a-f]{16}$/);
    expect(left[1]).toBe('out');
  });

  it('publishing the same set again changes nothing', () => {
    const parent = join(work, 'same');
    mkdirSync(parent);
    const out = join(parent, 'out');
    expect(publish(out, 'one').status).toBe(0);
    const before = readdirSync(parent).sort();
    const inode = lstatSync(join(out, TARBALL)).ino;
    expect(publish(out, 'one').status).toBe(0);
    expect(readdirSync(parent).sort()).toEqual(before);
    expect(lstatSync(join(out, TARBALL)).ino).toBe(inode);
    expect(publishedSet(out)).toBe('one');
  });
});
