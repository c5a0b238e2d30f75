/**
 * What verifying every RPM's digests costs the bundle stage: the payload listing as the stage runs it
 * (rpm -Kv --nosignature over the batch in the background of rpm2cpio into a scratch file per RPM, one
 * tool call per batch, `jobs` batches at once, then the archives' headers read) against the listing
 * before the digests were added (rpm2cpio | cpio -itv per RPM), on the example repository's RPMs, in
 * the tools container. Rounds alternate the two sides;
 * prints medians, the spread and the difference. Wall times move a lot on a loaded machine, so the
 * CPU seconds (user + system, inside the container) of the listing and of rpm -K over every RPM are
 * printed too. Asserts nothing.
 *
 *   npx vite-node bench/bundle-digests.ts [podman|docker]    (after the example repository is built)
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunks, discardListed, listPayloads } from '../src/bundle-diracos/extract.js';
import { mapLimit } from '../src/shared/concurrency.js';
import type { ContainerRuntime } from '../src/runtime/container.js';
import { createRuntime } from '../src/runtime/detect.js';
import { ContainerTools } from '../src/runtime/tools.js';
import { nodeExec } from '../src/shared/exec.js';
import { TEST_CACHE } from '../tests/support/example.js';
import { median, seconds, spread } from './build-rpms-bench-support.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const JOBS = 2;
const engine = (process.argv[2] ?? 'podman') as 'podman' | 'docker';
const repo = join(TEST_CACHE, 'example', 'repo', 'x86_64');
const rpms = readdirSync(repo).filter((f) => f.endsWith('.rpm')).map((f) => join(repo, f));
if (rpms.length === 0) throw new Error(`no RPMs in ${repo}: build the example first (npm test builds it)`);
const megabytes = rpms.reduce((n, r) => n + statSync(r).size, 0) / 1e6;

// The listing script of the stage before the digests were verified (src/bundle-diracos/extract.ts).
const WITHOUT_DIGESTS = `for r in "$@"; do printf '\\0\\0%s\\n' "$r"; set -o pipefail; rpm2cpio "$r" | cpio -itv --quiet --numeric-uid-gid --block-size=128 || printf '\\0\\1%s\\n' "$?"; done`;

// The stage's layout: the root and, beside it, the scratch folder of the decompressed payloads.
const work = mkdtempSync(join(tmpdir(), 'bundle-digests-bench-'));
const root = join(work, 'root');
mkdirSync(root);
const runtime = (await createRuntime(nodeExec, engine)) as ContainerRuntime;
const tools = new ContainerTools(runtime, nodeExec, [repo, work]);
await tools.exec('true', []);

const sides = {
  without: () => seconds(() => mapLimit(chunks(rpms, JOBS), JOBS, (b) => tools.exec('bash', ['-c', WITHOUT_DIGESTS, 'list', ...b]))),
  with: () =>
    seconds(async () => {
      const listed = await listPayloads(tools.exec, rpms, root, JOBS);
      discardListed(listed);
      const bad = listed.filter((l) => l.problems.length > 0);
      if (bad.length > 0) throw new Error(`unexpected problems: ${bad.flatMap((l) => l.problems).join('; ')}`);
    }),
  digestsOnly: () => seconds(() => mapLimit(chunks(rpms, JOBS), JOBS, (b) => tools.exec('rpm', ['-K', '--nosignature', '--', ...b]))),
};
/** CPU seconds (user + system) of a shell command over all the RPMs, measured by bash inside the container. */
const cpu = async (command: string) => {
  const { stderr } = await tools.exec('bash', ['-c', `TIMEFORMAT='%U %S'; time (${command}) >/dev/null`, 'cpu', ...rpms]);
  const [user, sys] = stderr.trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number];
  return user + sys;
};
const r = { without: [] as number[], with: [] as number[], digestsOnly: [] as number[], cpuListing: [] as number[], cpuDigests: [] as number[] };
try {
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['without', 'with', 'digestsOnly'] as const) : (['with', 'without', 'digestsOnly'] as const);
    for (const side of order) r[side].push(await sides[side]());
    r.cpuListing.push(await cpu(WITHOUT_DIGESTS));
    r.cpuDigests.push(await cpu('rpm -Kv --nosignature -- "$@"'));
  }
} finally {
  await tools.close();
  rmSync(work, { recursive: true, force: true });
}
console.log(`${rpms.length} RPMs, ${megabytes.toFixed(1)} MB, ${JOBS} batches in parallel, ${engine} tools container, ${ROUNDS} rounds`);
console.log(`listing without digests: ${spread(r.without, 2)} s`);
console.log(`listing with rpm -Kv (the stage): ${spread(r.with, 2)} s`);
console.log(`  added: ${(median(r.with) - median(r.without)).toFixed(2)} s (${((median(r.with) / median(r.without) - 1) * 100).toFixed(0)}%)`);
console.log(`rpm -K alone, in its own tool calls: ${spread(r.digestsOnly, 2)} s`);
console.log(`CPU: listing ${spread(r.cpuListing, 2)} s, rpm -Kv ${spread(r.cpuDigests, 2)} s (+${((median(r.cpuDigests) / median(r.cpuListing)) * 100).toFixed(0)}%)`);
