/**
 * What running the RPM-side tools in the tools container costs, against the same tools on this
 * machine, in one process: N small tool calls (rpm -qp of one RPM, the kind the bundle's closure and
 * extraction make) and one large one (rpm2cpio | cpio -t of every RPM of the example repository).
 * Prints per-call overhead and ratios; the image build itself is reported once when it was needed.
 *
 *   npx vite-node bench/tools-container.ts [podman|docker]    (after the example repository is built)
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRuntime } from '../src/runtime/detect.js';
import { ContainerTools, hostTools, type Tools } from '../src/runtime/tools.js';
import type { ContainerRuntime } from '../src/runtime/container.js';
import { nodeExec } from '../src/shared/exec.js';
import { TEST_CACHE } from '../tests/support/example.js';
import { median, seconds, spread } from './build-rpms-bench-support.js';

const ROUNDS = 3;
const SMALL_CALLS = 40;
const engine = (process.argv[2] ?? 'podman') as 'podman' | 'docker';
const repo = join(TEST_CACHE, 'example', 'repo', 'x86_64');
const rpms = readdirSync(repo).filter((f) => f.endsWith('.rpm')).map((f) => join(repo, f));
if (rpms.length === 0) throw new Error(`no RPMs in ${repo}: build the example first (npm test builds it)`);

const runtime = (await createRuntime(nodeExec, engine)) as ContainerRuntime;
const container = new ContainerTools(runtime, nodeExec, [repo]);
const host = hostTools(nodeExec);
const imageBuild = await seconds(() => container.toolsImage());
const start = await seconds(() => container.exec('true', []));

const small = (t: Tools) => seconds(async () => {
  for (let i = 0; i < SMALL_CALLS; i++) await t.exec('rpm', ['-qp', '--nosignature', '--requires', rpms[i % rpms.length]!]);
});
const large = (t: Tools) => seconds(() => t.exec('bash', ['-c', 'for r in "$@"; do rpm2cpio "$r" | cpio -t --quiet >/dev/null; done', 'list', ...rpms]));

const r = { smallHost: [] as number[], smallContainer: [] as number[], largeHost: [] as number[], largeContainer: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  r.smallHost.push(await small(host));
  r.smallContainer.push(await small(container));
  r.largeHost.push(await large(host));
  r.largeContainer.push(await large(container));
}
await container.close();
const ratio = (a: number[], b: number[]) => a.map((x, i) => x / b[i]!);
console.log(`tools image (${engine}): ${imageBuild.toFixed(1)} s to build or find; container start ${start.toFixed(2)} s`);
console.log(`${SMALL_CALLS} small calls: host ${spread(r.smallHost, 2)} s, container ${spread(r.smallContainer, 2)} s`);
console.log(`  per-call overhead: ${(((median(r.smallContainer) - median(r.smallHost)) / SMALL_CALLS) * 1000).toFixed(0)} ms; ratio container/host ${spread(ratio(r.smallContainer, r.smallHost), 2)}`);
console.log(`one call over ${rpms.length} RPMs: host ${spread(r.largeHost, 2)} s, container ${spread(r.largeContainer, 2)} s; ratio ${spread(ratio(r.largeContainer, r.largeHost), 2)}`);
