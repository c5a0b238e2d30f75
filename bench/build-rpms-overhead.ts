/**
 * The build engine's overhead over plain rpmbuild of the same specs in the same container image, and the
 * speed-up of jobs=2 on independent packages. Run: npx vite-node bench/build-rpms-overhead.ts
 * Prints ratios against baselines measured in this process (goal: overhead < 1.05 for sequential builds).
 */
import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRpms, planBuild } from '../src/build-rpms/index.js';
import { nodeExec } from '../src/shared/exec.js';
import { BUILD_IMAGE, fixtureManifest, tempDir, testContext } from '../tests/integration/build-rpms-support.js';

const ALL = ['libgreet', 'hello', 'patched', 'fromsrpm', 'tarpkg'];
const INDEPENDENT = ['libgreet', 'patched', 'fromsrpm', 'tarpkg'];

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** A fresh copy of the fixtures (own repository and workdir) for one engine run. */
async function engineRun(names: string[], jobs: number): Promise<number> {
  const dir = await tempDir('bench');
  try {
    const ctx = await testContext(dir, jobs);
    const m = await fixtureManifest(dir, names);
    return await seconds(() => buildRpms(ctx, m));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Plain rpmbuild: the same prepared trees, one `podman run ... rpmbuild -ba` per package in the same image,
 * in dependency order; hello gets libgreet's RPMs with `rpm -i --nodeps` first.
 */
async function plainRun(): Promise<number> {
  const dir = await tempDir('bench-plain');
  try {
    const ctx = await testContext(dir, 1);
    const plan = await planBuild(ctx, await fixtureManifest(dir, ALL));
    const trees = join(dir, 'plain');
    await cp(join(plan.stageDir, 'trees'), trees, { recursive: true });
    return await seconds(async () => {
      for (const name of plan.order) {
        const tree = join(trees, name);
        const deps = [...plan.graph.get(name)!.keys()];
        await mkdir(join(tree, 'DEPS'), { recursive: true });
        for (const d of deps) {
          const rpmDir = join(trees, d, 'RPMS', 'x86_64');
          for (const f of await readdir(rpmDir)) await cp(join(rpmDir, f), join(tree, 'DEPS', f));
        }
        const spec = `/build/SPECS/${plan.trees.get(name)!.spec.split('/').pop()}`;
        const install = deps.length > 0 ? 'rpm -i --nodeps /build/DEPS/*.rpm && ' : '';
        await nodeExec('podman', ['run', '--rm', '--network', 'none', '-v', `${tree}:/build`, BUILD_IMAGE, 'bash', '-c', `${install}rpmbuild -ba --nodeps --define '_topdir /build' ${spec}`]);
      }
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await engineRun(['patched'], 1); // warm-up: page cache, podman storage
const plain = await plainRun();
const engine = await engineRun(ALL, 1);
console.log(`sequential, ${ALL.length} packages: plain rpmbuild ${plain.toFixed(2)} s, engine ${engine.toFixed(2)} s, overhead ratio ${(engine / plain).toFixed(3)} (goal < 1.05)`);
const one = await engineRun(INDEPENDENT, 1);
const two = await engineRun(INDEPENDENT, 2);
console.log(`${INDEPENDENT.length} independent packages: jobs=1 ${one.toFixed(2)} s, jobs=2 ${two.toFixed(2)} s, speed-up ${(one / two).toFixed(2)}x`);
