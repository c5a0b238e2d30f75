/**
 * The example DIRACOS end to end through the four committed action bundles, run exactly as the
 * runner runs them (INPUT_*, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP) and chained by their
 * outputs, with no cache or artifact service: the tarball must pass test-platforms on the local images.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleDiracos } from '../../src/bundle-diracos/index.js';
import { bundleExtension } from '../../src/bundle-diracos/extension.js';
import { sha256File } from '../../src/shared/hash.js';
import { runActionBundle, type ActionRun } from '../support/action-runner.js';
import { exampleContext, exampleManifest, exampleManifestFile, TEST_CACHE, withExampleLock } from '../support/example.js';

describe('example pipeline through the action bundles', () => {
  let scratch: string;
  const runs: Record<string, ActionRun> = {};

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'example-pipeline-'));
    const manifest = await exampleManifestFile();
    // one "job": the steps share RUNNER_TEMP, where the local artifact fallback lives
    const where = { workspace: dirname(manifest), scratch, runnerTemp: join(scratch, 'runner-temp') };
    const common = { manifest, workdir: join(TEST_CACHE, 'example', 'work-actions'), runtime: 'podman', jobs: '2' };
    await withExampleLock(async () => {
      runs.plan = await runActionBundle('build-rpms', { ...common, plan: 'true', shards: '2' }, where);
      runs.python = await runActionBundle('bootstrap-python', common, where);
      runs.rpms = await runActionBundle('build-rpms', common, where);
      runs.bundle = await runActionBundle('bundle-diracos', { ...common, 'upload-artifact': 'true' }, where);
      runs.test = await runActionBundle('test-platforms', { ...common, tarball: runs.bundle.outputs.tarball ?? '', platform: 'all' }, where);
      runs.testArtifact = await runActionBundle('test-platforms', { ...common, tarball: 'DIRACOS-0.1.0', platform: 'bookworm' }, where);
    });
  });
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('build-rpms plan: true outputs shards by dependency level covering every package once, building nothing', () => {
    const r = runs.plan!;
    expect(r.status, r.stdout).toBe(0);
    const shards = (JSON.parse(r.outputs.matrix!) as { include: Array<{ name: string; only: string[]; level: number }> }).include;
    const all = shards.flatMap((s) => s.only).sort();
    expect(all).toEqual(['bzip2', 'diracos-example-links', 'diracos-python3.11', 'libffi', 'libuuid', 'ncurses', 'openssl', 'readline', 'sqlite', 'xz', 'zlib']);
    const level = (p: string) => shards.find((s) => s.only.includes(p))!.level;
    expect(level('readline')).toBeGreaterThan(level('ncurses'));
    expect(level('diracos-python3.11')).toBeGreaterThan(level('readline'));
    expect(Math.max(...shards.filter((s) => s.level === 0).map((s) => s.only.length))).toBeLessThanOrEqual(5);
    expect(shards.filter((s) => s.level === 0).length).toBe(2);
    expect(r.summary).toContain('<h3>Shards</h3>');
    expect(r.stdout).not.toMatch(/building /);
  });

  it('bootstrap-python outputs the RPM, the version and its cache key', () => {
    expect(runs.python!.status, runs.python!.stdout).toBe(0);
    expect(runs.python!.outputs).toMatchObject({ 'python-version': '3.11.2' });
    expect(runs.python!.outputs.rpm).toMatch(/\/diracos-python3\.11-3\.11\.2-1\.x86_64\.rpm$/);
    expect(runs.python!.outputs['cache-key']).toMatch(/^[0-9a-f]{64}$/);
    expect(['true', 'false']).toContain(runs.python!.outputs['cache-hit']);
  });

  it('build-rpms builds or reuses every package and writes its summary table', () => {
    expect(runs.rpms!.status, runs.rpms!.stdout).toBe(0);
    expect(Number(runs.rpms!.outputs.built) + Number(runs.rpms!.outputs.cached)).toBe(11);
    for (const pkg of ['zlib', 'openssl', 'sqlite', 'readline', 'diracos-python3.11']) expect(runs.rpms!.summary).toContain(`<td>${pkg}</td>`);
  });

  it('bundle-diracos makes the tarball with its checksums, and falls back to a local artifact with a warning', async () => {
    const r = runs.bundle!;
    expect(r.status, r.stdout).toBe(0);
    expect(basename(r.outputs.tarball!)).toBe('diracos-0.1.0-x86_64.tar.gz');
    expect(r.outputs.sha256).toBe(await sha256File(r.outputs.tarball!));
    expect((await readFile(`${r.outputs.tarball}.sha256`, 'utf8')).split(/\s+/)[0]).toBe(r.outputs.sha256);
    expect(r.stdout).toMatch(/::warning title=bundle-diracos::GitHub artifacts: no service in this run/);
    const versions = await readFile(join(dirname(r.outputs.tarball!), 'versions.txt'), 'utf8');
    expect(versions).toMatch(/^diracos-python3\.11-3\.11\.2-1\.x86_64$/m);
    expect(versions).toMatch(/^openssl-libs-3\.0\.17-1\.x86_64$/m);
    expect(versions).toMatch(/^diracos-example==0\.1\.0$/m);
    expect(versions).toMatch(/^diracos-example-ext==0\.1\.0$/m);
  });

  it('test-platforms passes the tarball on every local platform', () => {
    const r = runs.test!;
    expect(r.status, r.stdout).toBe(0);
    expect(Number(r.outputs.failed)).toBe(0);
    for (const platform of ['bullseye', 'bullseye-minimal', 'bookworm', 'trixie']) expect(r.summary).toContain(platform);
  });

  it('test-platforms also takes the tarball by artifact name', () => {
    expect(runs.testArtifact!.status, runs.testArtifact!.stdout).toBe(0);
  });

  it('a second bundle of the same repository is byte-identical', async () => {
    const ctx = await exampleContext();
    const again = await withExampleLock(async () => bundleDiracos(ctx, await exampleManifest(), { outDir: join(scratch, 'again') }));
    expect(again.sha256).toBe(runs.bundle!.outputs.sha256);
  });

  it('an extension re-bundles the base tarball with extra pip requirements and runs', async () => {
    const ctx = await exampleContext();
    const m = await exampleManifest();
    const out = join(scratch, 'extension');
    const ext = await bundleExtension(ctx, m, { baseTarball: runs.bundle!.outputs.tarball!, name: 'LHCb', requirements: ['wheel'], outDir: out });
    expect(basename(ext.tarball)).toBe('LHCbdiracos-0.1.0-x86_64.tar.gz');
    expect(ext.sha256).toBe(await sha256File(ext.tarball));
    const run = await ctx.runtime.run({
      image: 'localhost/diracos-platform:bookworm',
      mounts: [{ source: out, target: '/ext', readOnly: true }],
      network: false,
      command: ['bash', '-c', 'set -e; d="/opt/an ext"; mkdir -p "$d"; tar -xzf /ext/LHCbdiracos-0.1.0-x86_64.tar.gz -C "$d"; source "$d/LHCbdiracos-0.1.0-x86_64/diracosrc"; python3 -c "import wheel, diracos_example, sys; print(sys.prefix, wheel.__version__)"'],
    });
    // wheel from the build platform's wheelhouse (bullseye's python-pip-whl), not this machine's
    expect(run.stdout.trim()).toMatch(/^\/opt\/an ext\/LHCbdiracos-0\.1\.0-x86_64\/usr 0\.34\.2$/);
  });
});
