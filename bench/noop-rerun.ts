// A re-run of `npm run example` when nothing changed, against the same re-run with --force (the bundle
// made again and every platform tested again, as every re-run did before the bundle had a content key),
// in this process: `diracos build` of examples/diracos.yaml in .work/example, exactly `npm run example`.
// A first run builds what is missing (on a fresh machine: the whole example, about 15 minutes) and
// records the bundle and the tests; then ROUNDS rounds (BENCH_ROUNDS, default 3) alternate forced and
// no-op runs. Prints the seconds of each, the stages of the no-op run and the median ratio no-op / forced,
// with the spread; asserts nothing.
// Run: DIRACOS_TOOLS_BASE=localhost/diracos-platform:bookworm npx vite-node bench/noop-rerun.ts
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../src/cli/main.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROOT = join(import.meta.dirname, '..');
const ARGV = ['build', '--manifest', join(ROOT, 'examples/diracos.yaml'), '--workdir', join(ROOT, '.work/example')];
const LOG = join(ROOT, '.work/bench-noop-rerun.log');

/** One `diracos build`, its output into LOG; seconds and the stages' "done" lines. */
async function build(what: string, extra: string[] = []): Promise<{ seconds: number; stages: string[] }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const start = process.hrtime.bigint();
  const code = await main([...ARGV, ...extra], { out: out as unknown as typeof process.stdout, err: out as unknown as typeof process.stderr });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  appendFileSync(LOG, `\n===== ${what}: exit ${code}, ${seconds.toFixed(1)} s\n${text}`);
  if (code !== 0) throw new Error(`${what}: diracos build exited with ${code}; see ${LOG}`);
  const stages = [...text.matchAll(/^--- done: (\S+) \((\d+\.\d)s\)$/gm)].map((m) => `${m[1]} ${m[2]} s`);
  console.log(`${what}: ${seconds.toFixed(1)} s`);
  return { seconds, stages };
}

process.env.DIRACOS_TOOLS_BASE ??= 'localhost/diracos-platform:bookworm';
mkdirSync(join(ROOT, '.work'), { recursive: true });
writeFileSync(LOG, '');
console.log(`output of every run: ${LOG}`);
await build('first run (builds and records what is missing)');
const ratios: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  console.log(`round ${round}/${ROUNDS}`);
  const forced = await build('  forced re-run (--force: bundle made, every platform tested)', ['--force']);
  const noop = await build('  no-op re-run (nothing changed)');
  console.log(`    no-op stages: ${noop.stages.join(', ')}`);
  ratios.push(noop.seconds / forced.seconds);
  console.log(`  ratio: ${(noop.seconds / forced.seconds).toFixed(2)}`);
}
const sorted = [...ratios].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)]!;
console.log(`ratio no-op / forced re-run: ${median.toFixed(2)} (median of ${ROUNDS}; spread ${sorted[0]!.toFixed(2)}..${sorted.at(-1)!.toFixed(2)})`);
// The tools containers of the runs are removed when this process exits (src/runtime/tools.ts).
process.exit(0);
