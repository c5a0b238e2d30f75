/**
 * The bundle's content key (src/bundle-diracos/bundle-key.ts) with real podman (the build image's id):
 * what changes the tarball changes the key, what does not leaves it.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleKey, treeDigest } from '../../src/bundle-diracos/bundle-key.js';
import type { LoadedManifest } from '../../src/manifest/load.js';
import type { Manifest, PlatformSpec } from '../../src/manifest/types.js';
import { writeIndex, type RepoIndex } from '../../src/repo/index-file.js';
import { createRuntime } from '../../src/runtime/detect.js';
import type { Context } from '../../src/shared/context.js';
import { nodeExec } from '../../src/shared/exec.js';
import { makeTestContext } from '../support/context.js';

let dir: string;
let ctx: Context;

const INDEX: RepoIndex = {
  version: 1,
  packages: {
    zlib: { key: 'a'.repeat(64), rpms: ['x86_64/zlib-1-1.x86_64.rpm'], buildOnly: false },
    tools: { key: 'b'.repeat(64), rpms: ['buildOnly/x86_64/tools-1-1.x86_64.rpm'], buildOnly: true },
  },
};

function manifest(change: (m: Manifest) => void = () => undefined, build: Partial<PlatformSpec> = {}): LoadedManifest {
  const buildPlatform: PlatformSpec = { name: 'bookworm', image: 'localhost/diracos-platform:bookworm', family: 'debian', ...build };
  const m = {
    version: '1.0',
    repository: 'repo',
    python: { version: '3.11.2', source: { path: 'x' } },
    build: { platform: 'bookworm', packageGroups: [] },
    platforms: [buildPlatform],
    bundle: { excludedPackages: ['*-devel'], pip: { requirements: ['./py/pkg', 'requests==2.31.0'], noIndex: true } },
  } as Manifest;
  change(m);
  return { file: join(dir, 'diracos.yaml'), dir, manifest: m, packages: [], repository: join(dir, 'repo'), buildPlatform, arch: 'x86_64' };
}

const key = (m: LoadedManifest, compression: 'gzip' | 'zstd' = 'gzip') => bundleKey(ctx, m, { epoch: 0, compression });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bundle-key-'));
  await mkdir(join(dir, 'repo', 'x86_64'), { recursive: true });
  await writeIndex(join(dir, 'repo', 'diracos-index.json'), INDEX);
  await mkdir(join(dir, 'py', 'pkg', 'src'), { recursive: true });
  await writeFile(join(dir, 'py', 'pkg', 'setup.py'), 'from setuptools import setup\nsetup()\n');
  await writeFile(join(dir, 'py', 'pkg', 'src', 'mod.py'), 'X = 1\n');
  ctx = await makeTestContext({ workdir: join(dir, 'work'), downloadCache: join(dir, 'dl'), runtime: await createRuntime(nodeExec, 'podman') });
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the bundle content key', () => {
  it('is stable, and moves with the repository, the bundle options, pip inputs, compression and the build image', async () => {
    const base = await key(manifest());
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(await key(manifest())).toBe(base);
    const changed = {
      'bundle option': await key(manifest((m) => (m.bundle!.removedFolders = ['usr/share/doc']))),
      'requirement string': await key(manifest((m) => (m.bundle!.pip!.requirements = ['./py/pkg', 'requests==2.32.0']))),
      compression: await key(manifest(), 'zstd'),
      version: await key(manifest((m) => (m.version = '1.1'))),
      'build image': await key(manifest(undefined, { image: 'localhost/diracos-platform:trixie' })),
      'target families': await key(manifest((m) => m.platforms.push({ name: 'el9', image: 'x', family: 'el' }))),
    };
    for (const [what, k] of Object.entries(changed)) expect(k, what).not.toBe(base);

    await writeIndex(join(dir, 'repo', 'diracos-index.json'), { ...INDEX, packages: { ...INDEX.packages, zlib: { ...INDEX.packages.zlib!, key: 'c'.repeat(64) } } });
    expect(await key(manifest()), 'a rebuilt package').not.toBe(base);
    // a buildOnly package is never shipped: its key does not matter
    await writeIndex(join(dir, 'repo', 'diracos-index.json'), { ...INDEX, packages: { ...INDEX.packages, tools: { ...INDEX.packages.tools!, key: 'd'.repeat(64) } } });
    expect(await key(manifest())).toBe(base);
  });

  it('hashes a local pip input as pip is given it: content and executable bits, not build output', async () => {
    const pkg = join(dir, 'py', 'pkg');
    const before = treeDigest(pkg);
    const k = await key(manifest());
    await mkdir(join(pkg, 'build', 'lib'), { recursive: true });
    await writeFile(join(pkg, 'build', 'lib', 'mod.py'), 'stale\n');
    await mkdir(join(pkg, 'src', '__pycache__'), { recursive: true });
    await writeFile(join(pkg, 'src', '__pycache__', 'mod.cpython-311.pyc'), 'x');
    expect(treeDigest(pkg)).toBe(before);
    await writeFile(join(pkg, 'src', 'mod.py'), 'X = 2\n');
    expect(treeDigest(pkg)).not.toBe(before);
    expect(await key(manifest())).not.toBe(k);
    await writeFile(join(pkg, 'src', 'mod.py'), 'X = 1\n');
    await chmod(join(pkg, 'src', 'mod.py'), 0o755);
    expect(treeDigest(pkg)).not.toBe(before);
  });

  it('is undefined with the host runtime (the build platform cannot be identified): the bundle is always made', async () => {
    const host = { ...ctx, runtime: await createRuntime(nodeExec, 'host') };
    expect(await bundleKey(host, manifest(), { epoch: 0, compression: 'gzip' })).toBeUndefined();
  });
});
