/**
 * Pieces of bench/build-rpms-overhead.ts: timing, a tracing Exec that says where the engine's time goes,
 * the plain-rpmbuild baseline and the example manifest cut down to a few packages.
 */
import { createWriteStream } from 'node:fs';
import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { BuildPlan } from '../src/build-rpms/plan.js';
import { rpmOptions } from '../src/build-rpms/rpm-options.js';
import { shJoin } from '../src/shared/shell.js';
import type { LoadedManifest } from '../src/manifest/load.js';
import { createRuntime } from '../src/runtime/detect.js';
import type { Context } from '../src/shared/context.js';
import { DiracosError } from '../src/shared/errors.js';
import { nodeExec, type Exec } from '../src/shared/exec.js';

export async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** "median (min-max)" of a series, with `digits` decimals. */
export function spread(xs: readonly number[], digits = 3): string {
  return `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)})`;
}

/**
 * Round i runs the sides in the order rotated by i (ABC, BCA, CAB, ...): slow drifts of the machine's
 * other load fall on every side alike.
 */
export function rotated<T>(sides: readonly T[], round: number): T[] {
  const k = round % sides.length;
  return [...sides.slice(k), ...sides.slice(0, k)];
}

const BUILD_PHASE = 'build containers';

/** Where the tools' time went, by what the command was (first matching row wins). */
const PHASES: ReadonlyArray<{ phase: string; match: (cmd: string, args: readonly string[]) => boolean }> = [
  { phase: 'query container', match: (c, a) => c === 'podman' && a[0] === 'run' && a.some((x) => x.endsWith(':/q')) },
  { phase: BUILD_PHASE, match: (c, a) => c === 'podman' && a[0] === 'run' },
  { phase: 'createrepo_c', match: (c) => c === 'createrepo_c' },
  { phase: 'other tools', match: () => true },
];

/** The intervals (start, end in seconds of process.hrtime) each phase's commands ran in. */
export type PhaseTimes = Map<string, Array<[number, number]>>;

const now = () => Number(process.hrtime.bigint()) / 1e9;

/** An Exec that records each command's interval in `times` under its phase. */
export function tracingExec(inner: Exec, times: PhaseTimes): Exec {
  return async (cmd, args, opts) => {
    const start = now();
    try {
      return await inner(cmd, args, opts);
    } finally {
      const phase = PHASES.find((p) => p.match(cmd, args))!.phase;
      times.set(phase, [...(times.get(phase) ?? []), [start, now()]]);
    }
  };
}

/** A copy of `ctx` whose tools (and container runtime) are traced into `times`. */
export async function tracedContext(ctx: Context, times: PhaseTimes): Promise<Context> {
  const exec = tracingExec(ctx.exec, times);
  return { ...ctx, exec, runtime: await createRuntime(exec, 'podman') };
}

/** Wall time covered by the intervals (parallel commands count once). */
function covered(intervals: ReadonlyArray<[number, number]>): number {
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of [...intervals].sort((a, b) => a[0] - b[0])) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}

/** Mean wall time of each phase over runs, plus what no tool covered (in-process work, waiting). */
export function phaseLine(runs: readonly PhaseTimes[], totals: readonly number[]): string {
  const mean = (f: (t: PhaseTimes, i: number) => number) => runs.reduce((a, t, i) => a + f(t, i), 0) / runs.length;
  const rows = PHASES.map((p) => [p.phase, mean((t) => covered(t.get(p.phase) ?? []))] as const);
  const rest = mean((t, i) => totals[i]! - covered([...t.values()].flat()));
  return [...rows, ['in-process', rest] as const].map(([name, s]) => `${name} ${s.toFixed(2)} s`).join(', ');
}

/**
 * Per run, engine total / wall time of its build containers: the overhead measured inside one run, so
 * load that changes between runs cancels (the build containers run what the plain side runs).
 */
export function withinRun(runs: readonly PhaseTimes[], totals: readonly number[]): number[] {
  return runs.map((t, i) => totals[i]! / covered(t.get(BUILD_PHASE) ?? []));
}

/** Per run, seconds the engine spent outside its build containers (planning, query, metadata, copies). */
export function outsideBuilds(runs: readonly PhaseTimes[], totals: readonly number[]): number[] {
  return runs.map((t, i) => totals[i]! - covered(t.get(BUILD_PHASE) ?? []));
}

/** The manifest reduced to `names` (in its order), its repository moved to `repository`. */
export function manifestSubset(m: LoadedManifest, names: readonly string[], repository: string): LoadedManifest {
  const missing = names.filter((n) => !m.packages.some((p) => p.name === n));
  if (missing.length > 0) throw new DiracosError(`bench: package(s) ${missing.join(', ')} not in the manifest`, { file: m.file });
  const keep = new Set(names);
  const packageGroups = m.manifest.build.packageGroups
    .map((g) => ({ ...g, packages: g.packages.filter((p) => keep.has(p.name)) }))
    .filter((g) => g.packages.length > 0);
  return {
    ...m,
    manifest: { ...m.manifest, repository, build: { ...m.manifest.build, packageGroups } },
    packages: m.packages.filter((p) => keep.has(p.name)),
    repository,
  };
}

/**
 * The baseline: a planned build done by hand. The plan's prepared trees are copied to `dir`, then per
 * package in build order one `podman run --rm` of the same image: the platform's provides registered in
 * rpm's database as the engine does (Debian), the RPMs of the packages it build-requires installed with
 * `rpm -i`, and `rpmbuild -ba` with the package's options. Only the containers are timed.
 */
export async function plainRpmbuild(plan: BuildPlan, dir: string, network: boolean): Promise<number> {
  const trees = join(dir, 'trees');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const name of plan.order) await cp(plan.trees.get(name)!.dir, join(trees, name), { recursive: true });
  const platform = plan.platformProvidesRpm ? join(dir, 'platform') : undefined;
  if (platform) {
    await mkdir(platform);
    await cp(plan.platformProvidesRpm!, join(platform, basename(plan.platformProvidesRpm!)));
  }
  return seconds(async () => {
    for (const name of plan.order) {
      const tree = join(trees, name);
      const deps = [...plan.graph.get(name)!.keys()].filter((d) => plan.order.includes(d));
      const depRpms: string[] = [];
      for (const d of deps) {
        const rpmDir = join(trees, d, 'RPMS');
        for (const f of await readdir(rpmDir, { recursive: true })) if (f.endsWith('.rpm')) depRpms.push(join(rpmDir, f));
      }
      await mkdir(join(tree, 'DEPS'), { recursive: true });
      for (const f of depRpms) await cp(f, join(tree, 'DEPS', basename(f)));
      const script = [
        'set -e',
        ...(platform ? [`rpm -i --justdb --nodeps --noscripts --nosignature /platform/${basename(plan.platformProvidesRpm!)}`] : []),
        ...(depRpms.length > 0 ? ['rpm -i /build/DEPS/*.rpm'] : []),
        `rpmbuild -ba ${shJoin(['--define', '_topdir /build', ...rpmOptions(plan.packages.get(name)!, 'rpmbuild'), `/build/SPECS/${basename(plan.trees.get(name)!.spec)}`])}`,
      ].join('\n');
      const mounts = ['-v', `${tree}:/build`, ...(platform ? ['-v', `${platform}:/platform:ro`] : [])];
      await podman(['run', '--rm', ...(network ? [] : ['--network', 'none']), ...mounts, plan.image, 'bash', '-c', script], join(dir, `${name}.log`));
    }
  });
}

/** Runs podman with its output in `log`; a failure names the log. */
async function podman(args: string[], log: string): Promise<void> {
  const out = createWriteStream(log);
  try {
    const r = await nodeExec('podman', args, { capture: false, allowFailure: true, onOutput: (c) => out.write(c) });
    if (r.exitCode !== 0) throw new DiracosError(`bench: plain rpmbuild failed (exit ${r.exitCode}); log: ${log}`, { file: log });
  } finally {
    await new Promise((resolve) => out.end(resolve));
  }
}

/** Seconds of `podman run --rm <image> true`: the container start every build pays on both sides. */
export async function containerStart(image: string): Promise<number> {
  return seconds(() => nodeExec('podman', ['run', '--rm', '--network', 'none', image, 'true']));
}
