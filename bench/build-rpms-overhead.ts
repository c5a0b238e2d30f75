/**
 * The build engine's overhead over plain rpmbuild of the same specs in the same container image, and the
 * speed-up of jobs=2 on independent packages. Run: npx vite-node bench/build-rpms-overhead.ts
 *
 * Two sections, each timed in rounds whose sides run in rotated order (the machine's other load falls
 * on every side alike); ratios are against the baseline of the same round, medians with (min-max):
 * - fixtures: the tiny test packages (0.3 s of compiling each): the engine's fixed cost per run;
 * - examples: real packages of examples/diracos.yaml (zlib, bzip2, libffi, xz, independent), their
 *   Debian sources downloaded once into /var/tmp/diracos-bench: the overhead ratio (goal < 1.05) and
 *   the speed-up of jobs=2 over jobs=1.
 * Baseline: plainRpmbuild (bench/build-rpms-bench-support.ts), one `podman run rpmbuild -ba` per package.
 * Env: BENCH_ROUNDS (default 3), BENCH_SECTIONS (default "fixtures,examples"). Asserts nothing.
 */
import { mkdir, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRpms, planBuild } from '../src/build-rpms/index.js';
import { FAMILY_RULES } from '../src/build-rpms/platform-rules.js';
import { loadManifest, type LoadedManifest } from '../src/manifest/load.js';
import type { Context } from '../src/shared/context.js';
import { fixtureManifest, tempDir, testContext } from '../tests/integration/build-rpms-support.js';
import { containerStart, manifestSubset, outsideBuilds, phaseLine, withinRun, plainRpmbuild, rotated, seconds, spread, tracedContext, type PhaseTimes } from './build-rpms-bench-support.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECTIONS = (process.env.BENCH_SECTIONS ?? 'fixtures,examples').split(',');
const DOWNLOADS = '/var/tmp/diracos-bench';
const FIXTURES = ['libgreet', 'hello', 'patched', 'fromsrpm', 'tarpkg'];
const EXAMPLES = ['zlib', 'bzip2', 'libffi', 'xz'];
const EXAMPLE_MANIFEST = fileURLToPath(new URL('../examples/diracos.yaml', import.meta.url));

/** One engine run in a fresh folder (own repository and workdir); the tools' time by phase into `times`. */
async function engineRun(jobs: number, manifest: (dir: string, ctx: Context) => Promise<LoadedManifest>, times: PhaseTimes = new Map()): Promise<number> {
  const dir = await tempDir('bench');
  try {
    const ctx = await tracedContext({ ...(await testContext(dir, jobs)), downloadCache: DOWNLOADS }, times);
    const m = await manifest(dir, ctx);
    return await seconds(() => buildRpms(ctx, m));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A section: `rounds` rounds of the named sides in rotated order; returns each side's seconds per round. */
async function rounds(sides: Record<string, () => Promise<number>>, show: (round: number, t: Record<string, number>) => string): Promise<Record<string, number[]>> {
  const names = Object.keys(sides);
  const out: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < ROUNDS; r++) {
    const t: Record<string, number> = {};
    for (const side of rotated(names, r)) t[side] = await sides[side]!();
    for (const n of names) out[n]!.push(t[n]!);
    console.log(`  round ${r + 1} (${rotated(names, r).join(', ')}; load ${loadavg()[0]!.toFixed(1)}): ${show(r, t)}`);
  }
  return out;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** min(a) / min(b): under other load, which only ever adds time, the least disturbed runs compared. */
const best = (a: readonly number[], b: readonly number[], digits = 3) => (Math.min(...a) / Math.min(...b)).toFixed(digits);

async function fixturesSection(): Promise<void> {
  console.log(`fixed cost, tiny fixtures (${FIXTURES.join(', ')}; hello build-requires libgreet), sequential (jobs=1), ${ROUNDS} rounds:`);
  const dir = await tempDir('bench-plain');
  try {
    const ctx = await testContext(dir, 1);
    const plan = await planBuild(ctx, await fixtureManifest(dir, FIXTURES));
    const network = FAMILY_RULES.debian.network;
    // Warm-up, untimed: the first containers of a process start slower (page cache, podman storage).
    await plainRpmbuild(plan, join(dir, 'plain'), network);
    await engineRun(1, (d) => fixtureManifest(d, ['patched']));
    const phases: PhaseTimes[] = [];
    const t = await rounds(
      {
        plain: () => plainRpmbuild(plan, join(dir, 'plain'), network),
        engine: async () => {
          const times: PhaseTimes = new Map();
          phases.push(times);
          return engineRun(1, (d) => fixtureManifest(d, FIXTURES), times);
        },
        start: () => containerStart(plan.image),
      },
      (_r, x) => `plain ${x.plain!.toFixed(2)} s, engine ${x.engine!.toFixed(2)} s, ratio ${(x.engine! / x.plain!).toFixed(3)}, fixed cost ${(x.engine! - x.plain!).toFixed(2)} s`,
    );
    const ratios = t.engine!.map((e, i) => e / t.plain![i]!);
    const fixed = t.engine!.map((e, i) => e - t.plain![i]!);
    console.log(`  FIXTURES ratio engine/plain: best of each ${best(t.engine!, t.plain!)}, overall ${(sum(t.engine!) / sum(t.plain!)).toFixed(3)}, per round ${spread(ratios)}`);
    console.log(`  FIXTURES fixed cost per run (engine - plain): ${spread(fixed, 2)} s; one empty container start: ${spread(t.start!, 2)} s`);
    console.log(`  engine time by phase (mean): ${phaseLine(phases, t.engine!)}`);
    console.log(`  FIXTURES engine time outside its build containers (same run; excludes dnf inside them): ${spread(outsideBuilds(phases, t.engine!), 2)} s`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function examplesSection(): Promise<void> {
  console.log(`real packages from examples/diracos.yaml (${EXAMPLES.join(', ')}; independent), ${ROUNDS} rounds:`);
  await mkdir(DOWNLOADS, { recursive: true });
  const manifest = (dir: string) => manifestSubset(loadManifest(EXAMPLE_MANIFEST), EXAMPLES, join(dir, 'repo'));
  const dir = await tempDir('bench-plain');
  try {
    // Plans once (downloads the sources, builds the prepared image if missing): the plain side's trees.
    const ctx = { ...(await testContext(dir, 1)), downloadCache: DOWNLOADS };
    const m = manifest(dir);
    const plan = await planBuild(ctx, m);
    const network = FAMILY_RULES[m.buildPlatform.family].network;
    console.log(`  image ${plan.image} (${m.buildPlatform.image} + setup), order ${plan.order.join(', ')}`);
    const phases: PhaseTimes[] = [];
    const t = await rounds(
      {
        plain: () => plainRpmbuild(plan, join(dir, 'plain'), network),
        jobs1: async () => {
          const times: PhaseTimes = new Map();
          phases.push(times);
          return engineRun(1, async (d) => manifest(d), times);
        },
        jobs2: () => engineRun(2, async (d) => manifest(d)),
      },
      (_r, x) =>
        `plain ${x.plain!.toFixed(1)} s, engine jobs=1 ${x.jobs1!.toFixed(1)} s, jobs=2 ${x.jobs2!.toFixed(1)} s; ` +
        `ratio ${(x.jobs1! / x.plain!).toFixed(3)}, speed-up ${(x.jobs1! / x.jobs2!).toFixed(2)}x`,
    );
    const ratios = t.jobs1!.map((e, i) => e / t.plain![i]!);
    const speedups = t.jobs1!.map((e, i) => e / t.jobs2![i]!);
    console.log(
      `  EXAMPLES sequential ratio engine/plain: best of each ${best(t.jobs1!, t.plain!)}, overall ${(sum(t.jobs1!) / sum(t.plain!)).toFixed(3)}, per round ${spread(ratios)} (goal < 1.05)`,
    );
    console.log(`  EXAMPLES jobs=2 speed-up over jobs=1: best of each ${best(t.jobs1!, t.jobs2!, 2)}x, overall ${(sum(t.jobs1!) / sum(t.jobs2!)).toFixed(2)}x, per round ${spread(speedups, 2)}`);
    console.log(`  engine jobs=1 time by phase (mean): ${phaseLine(phases, t.jobs1!)}`);
    console.log(`  EXAMPLES engine time outside its build containers (same run): ${spread(outsideBuilds(phases, t.jobs1!), 2)} s`);
    console.log(`  EXAMPLES within-run estimate (engine total / its build containers, same run): ${spread(withinRun(phases, t.jobs1!))}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (SECTIONS.includes('fixtures')) await fixturesSection();
if (SECTIONS.includes('examples')) await examplesSection();
