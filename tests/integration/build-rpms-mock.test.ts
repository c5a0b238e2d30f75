/**
 * The mock backend through the engine. mock and a CentOS 7 image cannot run on this machine (no EL
 * mirror, no registry), so the EL7 platform's image is the bullseye build image, which has rpmspec and
 * rpmbuild: planning and the source RPM run for real there. The stand-ins are the two steps that need
 * EL: the privileged container (mock --rebuild, mock post steps), which a recording runtime records
 * and answers "exit 1" without running, and the preparation of the EL image (yum against the vault),
 * which it records and answers with the image unchanged. The tests check exactly what the engine asks
 * the runtime to do.
 */
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildImageSetup } from '../../src/build-rpms/dnf.js';
import { buildRpms } from '../../src/build-rpms/index.js';
import { mockConfig } from '../../src/build-rpms/mock-config.js';
import { mockBackend } from '../../src/build-rpms/backend-mock.js';
import { loadManifest, type LoadedManifest } from '../../src/manifest/load.js';
import { readIndex } from '../../src/repo/index-file.js';
import { repoLayout } from '../../src/repo/layout.js';
import type { RunSpec, Runtime } from '../../src/runtime/types.js';
import { DiracosError } from '../../src/shared/errors.js';
import { BUILD_IMAGE, fixtureManifest, tempDir, testContext } from './build-rpms-support.js';

const BASE_URL = 'https://mirror.invalid/7/os/x86_64/';
const CC7 = `  - { name: cc7, image: "${BUILD_IMAGE}", family: el, baseRepos: [{ name: base, baseurl: "${BASE_URL}" }], mock: { releasever: "7" } }`;

/**
 * The real runtime, except that privileged runs (mock's) are recorded and fail without running, and
 * image preparations are recorded and leave the image as it is.
 */
function recordingRuntime(real: Runtime): Runtime & { runs: RunSpec[]; prepared: Array<{ base: string; setup: readonly string[] }> } {
  const runs: RunSpec[] = [];
  const prepared: Array<{ base: string; setup: readonly string[] }> = [];
  return {
    name: real.name,
    runs,
    prepared,
    imageExists: (image) => real.imageExists(image),
    prepareImage: async (base, setup) => {
      prepared.push({ base, setup });
      return base;
    },
    async run(spec) {
      runs.push(spec);
      if (!spec.privileged) return real.run(spec);
      spec.onOutput?.(Buffer.from('recording runtime: mock cannot run on this machine\n'), 'stderr');
      return { exitCode: 1, stdout: '', stderr: '' };
    },
  };
}

/** The fixture manifest moved to an EL7 platform built with mock. */
async function mockManifest(dir: string, names: string[], extra = ''): Promise<LoadedManifest> {
  await fixtureManifest(dir, names, extra);
  const file = join(dir, 'diracos.yaml');
  const text = (await readFile(file, 'utf8'))
    .replace('  platform: bullseye', '  platform: cc7\n  backend: mock')
    .replace(/platforms:\n[\s\S]*$/, `platforms:\n${CC7}\n`);
  await writeFile(file, text);
  return loadManifest(file);
}

describe('build.backend: mock through the engine (EL7)', () => {
  let dir: string;
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('makes the SRPM with rpmbuild -bs, then runs mock --rebuild privileged, and nothing else', async () => {
    dir = await tempDir('mock');
    const ctx = await testContext(dir);
    const runtime = recordingRuntime(ctx.runtime);
    ctx.runtime = runtime;
    const m = await mockManifest(dir, ['libgreet']);
    const err = await buildRpms(ctx, m).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiracosError);
    const log = join(dir, 'work/build-rpms/logs/libgreet.log');
    expect((err as Error).message).toBe(`package 'libgreet': mock failed (exit 1); log: ${log}`);

    expect(runtime.runs).toHaveLength(3);
    // The EL7 image, prepared once: the stock repositories replaced by the baseRepos, then with yum
    // what planning and source RPMs need (mock's chroot has its own build root).
    expect(runtime.prepared).toEqual([{ base: BUILD_IMAGE, setup: buildImageSetup(m.buildPlatform, 'mock') }]);
    expect(runtime.prepared[0]!.setup).toEqual([expect.stringContaining(` baseurl=${BASE_URL} `), "yum -y '--disablerepo=epel*' install rpm-build yum-utils"]);
    const [query, srpm, mock] = runtime.runs as [RunSpec, RunSpec, RunSpec];
    // Planning: one query container; no Debian platform-provides RPM, no check of the platform's repositories.
    expect(query.privileged).toBeFalsy();
    const queryScript = query.command[2]!;
    expect(queryScript).toContain('rpmspec -q --buildrequires');
    expect(queryScript).not.toContain('diracos-platform-provides');
    expect(queryScript).not.toContain('--whatprovides');
    await expect(readdir(join(dir, 'work/build-rpms/query/platform'))).rejects.toThrow();

    // The source RPM: unprivileged, no network, reproducible.
    const tree = join(dir, 'work/build-rpms/trees/libgreet');
    expect(srpm).toMatchObject({
      image: BUILD_IMAGE,
      mounts: [{ source: tree, target: '/build' }],
      env: { SOURCE_DATE_EPOCH: '946684800' },
      network: false,
    });
    expect(srpm.privileged).toBeFalsy();
    expect(srpm.command.slice(0, 2)).toEqual(['bash', '-c']);
    expect(srpm.command[2]).toBe(
      "set -e\nrpmbuild -bs --define '_topdir /build' --define '_buildhost diracos' --define 'use_source_date_epoch_as_buildtime 1' --define 'clamp_mtime_to_source_date_epoch 1' /build/SPECS/libgreet.spec",
    );
    expect(await readdir(join(tree, 'SRPMS'))).toEqual(['libgreet-1.0-1.src.rpm']);

    // mock --rebuild of that SRPM in a privileged container of the build image.
    const repo = repoLayout(join(dir, 'repo'), 'x86_64');
    const configDir = join(dir, 'work/build-rpms/mock-config');
    expect(mock).toMatchObject({
      image: BUILD_IMAGE,
      command: [
        'mock', '-r', '/diracos/mock/diracos-cc7-x86_64.cfg', '--rebuild', '/diracos/srpms/libgreet-1.0-1.src.rpm', '--resultdir', '/diracos/result',
        '--define', '_buildhost diracos', '--define', 'use_source_date_epoch_as_buildtime 1', '--define', 'clamp_mtime_to_source_date_epoch 1',
      ],
      mounts: [
        { source: repo.binary, target: '/diracos/repo', readOnly: true },
        { source: repo.buildOnly, target: '/diracos/buildonly', readOnly: true },
        { source: configDir, target: '/diracos/mock', readOnly: true },
        { source: join(dir, 'work/build-rpms/mock-cache'), target: '/var/cache/mock' },
        { source: join(tree, 'SRPMS'), target: '/diracos/srpms', readOnly: true },
        { source: join(tree, 'mock-result'), target: '/diracos/result' },
      ],
      privileged: true,
    });
    // The config it reads: ours first, then the base repository hiding nothing, since our repository
    // holds nothing yet (what the chroot setup needs must stay installable); the run's SOURCE_DATE_EPOCH.
    const config = mockConfig(m.buildPlatform, { repoDir: '/diracos/repo', buildOnlyDir: '/diracos/buildonly', ourPackages: [], sourceDateEpoch: 946684800, arch: 'x86_64', cores: availableParallelism() });
    expect(config).not.toContain('exclude=');
    expect(config).toContain("config_opts['environment']['SOURCE_DATE_EPOCH'] = '946684800'");
    expect(await readFile(join(configDir, 'diracos-cc7-x86_64.cfg'), 'utf8')).toBe(config);
    expect(await readFile(log, 'utf8')).toContain('recording runtime: mock cannot run on this machine');
    expect((await readIndex(repo.index)).packages).toEqual({});
  });

  it('a mock post step runs privileged with the mock config, the repo and the package in its environment', async () => {
    const sub = join(dir, 'post');
    const ctx = await testContext(sub);
    const runtime = recordingRuntime(ctx.runtime);
    const m = await mockManifest(sub, ['libgreet']);
    const repo = repoLayout(join(sub, 'repo'), 'x86_64');
    const backend = mockBackend({ image: BUILD_IMAGE, platform: m.buildPlatform, repo, sourceDateEpoch: 946684800, ourPackages: ['libgreet'], configDir: join(sub, 'cfg'), cacheDir: join(sub, 'cache') });
    const log = join(sub, 'post.log');
    const step = 'mock -r "$DIRACOS_MOCK_CONFIG" --scrub=root-cache';
    const err = await backend.postStep({ ...ctx, runtime }, { pkg: m.packages[0]!, index: 0, step, log }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`package 'libgreet': post step 1 failed (exit 1): ${step}; log: ${log}`);
    expect(runtime.runs).toEqual([
      expect.objectContaining({
        command: ['bash', '-euo', 'pipefail', '-c', step],
        privileged: true,
        env: expect.objectContaining({ DIRACOS_MOCK_CONFIG: '/diracos/mock/diracos-cc7-x86_64.cfg', DIRACOS_REPO: '/diracos/repo', DIRACOS_PACKAGE: 'libgreet' }),
      }),
    ]);
  });

  it('hides in the base repositories the rebuilt names our repository holds, and rewrites the config only when they change', async () => {
    const sub = join(dir, 'held');
    const ctx = await testContext(sub);
    const runtime = recordingRuntime(ctx.runtime);
    const m = await mockManifest(sub, ['libgreet']);
    const repo = repoLayout(join(sub, 'repo'), 'x86_64');
    await mkdir(repo.binary, { recursive: true });
    await mkdir(repo.buildOnly, { recursive: true });
    // zlib, xz and bzip2 are rebuilt but not built yet: mock's chroot setup takes the base ones.
    await writeFile(join(repo.binary, 'libgreet-1.0-1.el7.x86_64.rpm'), '');
    await writeFile(join(repo.buildOnly, 'gdb-7.6-1.el7.x86_64.rpm'), '');
    await writeFile(join(repo.binary, 'stale-1-1.el7.x86_64.rpm'), '');
    const ourPackages = ['bzip2', 'gdb', 'libgreet', 'libgreet-devel', 'xz', 'zlib'];
    const backend = mockBackend({ image: BUILD_IMAGE, platform: m.buildPlatform, repo, sourceDateEpoch: 1700000000, ourPackages, configDir: join(sub, 'cfg'), cacheDir: join(sub, 'cache') });
    const step = { pkg: m.packages[0]!, index: 0, step: 'true', log: join(sub, 'post.log') };
    const cfg = join(sub, 'cfg/diracos-cc7-x86_64.cfg');
    await backend.postStep({ ...ctx, runtime }, step).catch(() => undefined);
    const first = await readFile(cfg, 'utf8');
    expect(first.match(/^exclude=.*$/gm)).toEqual(['exclude=gdb libgreet']);
    expect(first).toContain("config_opts['environment']['SOURCE_DATE_EPOCH'] = '1700000000'");
    const mtime = (await stat(cfg)).mtimeMs;
    await new Promise((r) => setTimeout(r, 50));
    await backend.postStep({ ...ctx, runtime }, step).catch(() => undefined);
    expect((await stat(cfg)).mtimeMs).toBe(mtime); // mock's root cache stays valid
    await writeFile(join(repo.binary, 'zlib-1.2.13-1.el7.x86_64.rpm'), '');
    await backend.postStep({ ...ctx, runtime }, step).catch(() => undefined);
    expect((await readFile(cfg, 'utf8')).match(/^exclude=.*$/gm)).toEqual(['exclude=gdb libgreet zlib']);
    expect((await stat(cfg)).mtimeMs).toBeGreaterThan(mtime);
    expect(runtime.runs).toHaveLength(3);
  });

  it('an EL platform of unknown release is a clear error, naming the manifest, before any container runs', async () => {
    const sub = join(dir, 'norelease');
    const ctx = await testContext(sub);
    const runtime = recordingRuntime(ctx.runtime);
    ctx.runtime = runtime;
    const m = await mockManifest(sub, ['libgreet']);
    m.manifest = { ...m.manifest, build: { ...m.manifest.build, backend: 'container' } };
    m.buildPlatform = { ...m.buildPlatform, image: 'registry.example.org/grid/worker:2024', mock: undefined };
    const err = await buildRpms(ctx, m).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiracosError);
    expect((err as DiracosError).message).toMatch(/cannot tell the EL release of image 'registry\.example\.org\/grid\/worker:2024'.*set platforms\[cc7\]\.mock\.releasever/);
    expect((err as DiracosError).location).toEqual({ file: m.file });
    expect(runtime.runs).toEqual([]);
    expect(runtime.prepared).toEqual([]);
  });

  it('family debian with backend mock is a clear error before any container runs', async () => {
    const sub = join(dir, 'debian');
    const ctx = await testContext(sub);
    const runtime = recordingRuntime(ctx.runtime);
    ctx.runtime = runtime;
    const m = await fixtureManifest(sub, ['libgreet']);
    m.manifest = { ...m.manifest, build: { ...m.manifest.build, backend: 'mock' } };
    const err = await buildRpms(ctx, m).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiracosError);
    expect((err as Error).message).toMatch(/build\.backend 'mock' cannot build on platform 'bullseye' of family 'debian'/);
    expect(runtime.runs).toEqual([]);
  });
});
