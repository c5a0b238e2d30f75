/**
 * The reusable workflow walked on the example DIRACOS (examples/diracos.yaml), job by job as GitHub
 * runs it (tests/support/workflow-walk): the plan from the manifest, Python, the shards stage after
 * stage with their repositories handed over as artifacts, the bundle, a test job per platform of the
 * manifest, the results. Every action runs from its committed bundle in dist/, with podman.
 *
 * The walk's services (cache and artifacts) live in the test cache: the RPM repository cache is seeded
 * once from the example repository the other integration tests build, so a walk rebuilds nothing that
 * did not change (a warm pipeline); artifacts are emptied before each walk (a new run).
 * Slow (every job plans, so every job queries the specs in a container): about half an hour on 2 cores.
 */
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalCache } from '../../src/cache/local.js';
import { readIndex } from '../../src/repo/index-file.js';
import { TEST_CACHE, withExampleLock } from '../support/example.js';
import { WalkServices } from '../support/workflow-walk/services.js';
import { walkWorkflow, workspaceOf, type WalkResult } from '../support/workflow-walk/walk.js';

const ROOT = resolve(import.meta.dirname, '../..');
const REPOSITORY = 'DIRACGrid/diracos-actions';
const WALK = join(TEST_CACHE, 'workflow-walk');
const EXAMPLE_REPO = join(TEST_CACHE, 'example', 'repo');

/** The actions' repository cache seeded with the example repository (same content keys, this workspace's path). */
async function seed(services: WalkServices): Promise<void> {
  const cache = new LocalCache(services.actionsCacheDir);
  if ((await cache.lookup('', ['diracos-rpms-0.1.0-x86_64-'])) || !existsSync(join(EXAMPLE_REPO, 'diracos-index.json'))) return;
  // examples/diracos.yaml: repository ../.work/example/repo, i.e. .work/example/repo of the checkout.
  const target = join(workspaceOf(services, REPOSITORY), '.work', 'example', 'repo');
  cpSync(EXAMPLE_REPO, target, { recursive: true });
  await cache.save([target], 'diracos-rpms-0.1.0-x86_64-seed');
}

/** Runner minutes as GitHub bills them: each job instance rounded up to the minute. */
function minutes(r: WalkResult): Array<{ job: string; seconds: number }> {
  return [...r.jobs.values()].flatMap((j) => j.instances.map((i) => ({ job: i.label, seconds: Math.round(i.seconds) })));
}

describe('the reusable workflow on the example', () => {
  it('builds, bundles and tests the example DIRACOS through its jobs', { timeout: 3 * 3600_000 }, async () => {
    // A new run: no artifacts; the cache stays (seeded once, under the example's lock).
    rmSync(join(WALK, 'artifacts'), { recursive: true, force: true });
    const services = new WalkServices(WALK);
    await withExampleLock(() => seed(services));
    const log: string[] = [];
    const r = await walkWorkflow({
      workflow: join(ROOT, '.github/workflows/diracos-reusable.yml'),
      inputs: { manifest: 'examples/diracos.yaml', runtime: 'podman', shards: 2 },
      repositories: { [REPOSITORY]: ROOT },
      repository: REPOSITORY,
      services,
      log: (line) => {
        log.push(line);
        if (!line.startsWith(' ')) process.stdout.write(`[walk] ${line.split('\n')[0]}\n`);
      },
    });
    writeFileSync(join(WALK, 'last-walk.log'), log.join('\n') + '\n');
    const times = minutes(r);
    writeFileSync(join(WALK, 'last-walk-times.json'), JSON.stringify(times, null, 2) + '\n');

    expect(r.problems).toEqual([]);
    const results = Object.fromEntries([...r.jobs].map(([id, j]) => [id, j.result]));
    const stages = Object.keys(results).filter((j) => j.startsWith('stage-'));
    const ran = stages.filter((s) => results[s] === 'success');
    expect(ran.length).toBeGreaterThanOrEqual(2);
    expect(stages.filter((s) => results[s] !== 'success').every((s) => results[s] === 'skipped')).toBe(true);
    expect(results).toMatchObject({ plan: 'success', python: 'success', bundle: 'success', test: 'success', results: 'success' });

    // Each shard handed over exactly its packages.
    const shards = ran.flatMap((s) => r.jobs.get(s)!.instances);
    expect(shards.some((i) => i.matrix!['name'] !== `level${i.matrix!['level']}`)).toBe(true);
    for (const i of shards) {
      const index = await readIndex(join(services.artifactPath(`diracos-rpms-${String(i.matrix!['name'])}`), 'diracos-index.json'));
      expect(Object.keys(index.packages).sort()).toEqual([...(i.matrix!['only'] as string[])].sort());
    }

    expect(r.outputs).toMatchObject({ 'artifact-name': 'diracos-tarball', version: '0.1.0', 'python-version': '3.11.2', 'junit-artifacts': 'diracos-junit-*' });
    expect(r.outputs['tarball-name']).toBe('diracos-0.1.0-x86_64.tar.gz');
    expect(r.outputs['sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(join(services.artifactPath('diracos-tarball'), r.outputs['tarball-name']!))).toBe(true);
    const platforms = JSON.parse(r.outputs['test-results']!) as Record<string, { required: boolean; ok: boolean }>;
    expect(Object.keys(platforms).sort()).toEqual(['bookworm', 'bullseye', 'bullseye-minimal', 'static', 'trixie']);
    for (const [name, p] of Object.entries(platforms)) if (p.required) expect(p.ok, name).toBe(true);
    for (const platform of ['bullseye', 'bullseye-minimal', 'bookworm', 'trixie']) {
      expect(readFileSync(join(services.artifactPath(`diracos-junit-${platform}`), 'junit.xml'), 'utf8')).toContain('<testsuite');
    }
  });
});
