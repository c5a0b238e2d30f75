/**
 * The example end to end through the four committed action bundles, as the GitHub-runner emulation runs
 * it (unprivileged `runner`, docker, Node 24, RPM tools in the tools container) against as root with
 * podman, in one process and on the same warm repository (the podman-built example's, copied):
 * seconds per action and the ratio runner/root. Rounds alternate the order of the two sides.
 *
 *   npx vite-node bench/runner-emulation.ts [rounds]    (after `npm test` built the example)
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runActionBundle, runnerWorld, type RunnerWorld } from '../tests/support/action-runner.js';
import { exampleManifest, TEST_CACHE } from '../tests/support/example.js';
import { rotated, seconds, spread } from './build-rpms-bench-support.js';

const ROUNDS = Number(process.argv[2] ?? 2);
const ACTIONS = ['bootstrap-python', 'build-rpms', 'bundle-diracos', 'test-platforms'] as const;
const world = runnerWorld();
const m = await exampleManifest();

/** One side's chained run in a fresh workspace; seconds per action. */
async function side(runner: RunnerWorld | undefined): Promise<Record<string, number>> {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-runner-'));
  chmodSync(scratch, 0o755);
  try {
    const ws = join(scratch, 'ws');
    cpSync('examples', join(ws, 'examples'), { recursive: true, dereference: true });
    cpSync(m.repository, join(ws, '.work', 'example', 'repo'), { recursive: true });
    const temp = join(scratch, 'temp');
    cpSync(join(TEST_CACHE, 'downloads'), join(temp, 'diracos', 'downloads'), { recursive: true });
    mkdirSync(temp, { recursive: true });
    if (runner) execFileSync('chown', ['-R', `${runner.uid}:${runner.gid}`, ws, temp]);
    const where = { workspace: ws, scratch, runnerTemp: temp, runner };
    const inputs = { manifest: 'examples/diracos.yaml', jobs: '2', runtime: runner ? 'auto' : 'podman' };
    const times: Record<string, number> = {};
    let tarball = '';
    for (const name of ACTIONS) {
      times[name] = await seconds(async () => {
        const r = await runActionBundle(name, name === 'test-platforms' ? { ...inputs, tarball, platform: 'all' } : inputs, where);
        if (r.status !== 0) throw new Error(`${name} (${runner ? 'runner' : 'root'}) failed:\n${r.stdout.slice(-3000)}`);
        if (name === 'bundle-diracos') tarball = r.outputs.tarball!;
      });
    }
    return times;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const results: Record<'root' | 'runner', Array<Record<string, number>>> = { root: [], runner: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const who of rotated(['root', 'runner'] as const, round)) results[who].push(await side(who === 'runner' ? world : undefined));
}
const total = (t: Record<string, number>) => Object.values(t).reduce((a, b) => a + b, 0);
for (const name of [...ACTIONS, 'total']) {
  const pick = (t: Record<string, number>) => (name === 'total' ? total(t) : t[name]!);
  const root = results.root.map(pick);
  const runner = results.runner.map(pick);
  console.log(`${name.padEnd(17)} root+podman ${spread(root, 1)} s   runner+docker ${spread(runner, 1)} s   ratio ${spread(runner.map((r, i) => r / root[i]!), 2)}`);
}
