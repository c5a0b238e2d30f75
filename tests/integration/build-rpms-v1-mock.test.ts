/**
 * preSteps and platformOptions with build.backend: mock. mock cannot run on this machine (no EL mirror):
 * as in build-rpms-mock.test.ts the EL7 platform's image is the bullseye build image, mock's own run is
 * recorded and fails; the pre steps (a privileged run of that image, like post steps) run for real.
 */
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRpms } from '../../src/build-rpms/index.js';
import { loadManifest } from '../../src/manifest/load.js';
import type { Runtime, RunSpec } from '../../src/runtime/types.js';
import { DiracosError } from '../../src/shared/errors.js';
import { BUILD_IMAGE, fixtureManifest, tempDir, testContext } from './build-rpms-support.js';

/**
 * The real runtime, except that mock's runs are recorded and fail without running, and image
 * preparations leave the image as it is (an EL image's own setup, yum, cannot run on the bullseye
 * stand-in; build-rpms-mock.test.ts checks what that setup is).
 */
function recordingRuntime(real: Runtime): Runtime & { runs: RunSpec[] } {
  const runs: RunSpec[] = [];
  return {
    name: real.name,
    runs,
    imageExists: (image) => real.imageExists(image),
    prepareImage: async (base) => base,
    async run(spec) {
      runs.push(spec);
      if (spec.command[0] !== 'mock') return real.run(spec);
      spec.onOutput?.(Buffer.from('recording runtime: mock cannot run on this machine\n'), 'stderr');
      return { exitCode: 1, stdout: '', stderr: '' };
    },
  };
}

describe('build.backend: mock with preSteps and platformOptions (EL7)', () => {
  let dir: string;
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('runs the pre steps in the mock container with the tree at /build before the SRPM is made; chrootSetup additions get a config of their own', async () => {
    dir = await tempDir('v1-mock');
    const ctx = await testContext(dir);
    const runtime = recordingRuntime(ctx.runtime);
    ctx.runtime = runtime;
    await fixtureManifest(dir, ['libgreet']);
    const file = join(dir, 'diracos.yaml');
    const cc7 = `  - { name: cc7, image: "${BUILD_IMAGE}", family: el, baseRepos: [{ name: base, baseurl: "https://mirror.invalid/7/os/x86_64/" }], mock: { releasever: "7" } }`;
    const text = (await readFile(file, 'utf8'))
      .replace('  platform: bullseye', '  platform: cc7\n  backend: mock')
      .replace('      packages:\n        - { name: libgreet, spec: pkgs/libgreet/libgreet.spec }\n', [
        '      platformOptions: { chrootSetup: [perl-generators] }',
        '      packages:',
        '        - name: libgreet',
        '          spec: pkgs/libgreet/libgreet.spec',
        `          preSteps: ['echo "$DIRACOS_PACKAGE $DIRACOS_SPEC $DIRACOS_MOCK_CONFIG" > SOURCES/pre.txt']`,
        '',
      ].join('\n'))
      .replace(/platforms:\n[\s\S]*$/, `platforms:\n${cc7}\n`);
    await writeFile(file, text);
    const m = loadManifest(file);

    const err = await buildRpms(ctx, m).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiracosError);
    expect((err as Error).message).toMatch(/^package 'libgreet': mock failed \(exit 1\)/);

    const [query, pre, srpm, mock] = runtime.runs as [RunSpec, RunSpec, RunSpec, RunSpec];
    expect(runtime.runs).toHaveLength(4);
    expect(query.command[2]).toContain('rpmspec');
    const tree = join(dir, 'work/build-rpms/trees/libgreet');
    // The pre step: privileged like a post step, our repository and the mock config mounted, the tree at /build.
    expect(pre.privileged).toBe(true);
    expect(pre.mounts).toContainEqual({ source: tree, target: '/build' });
    const config = mock.command[2]!;
    expect(config).toMatch(/^\/diracos\/mock\/diracos-cc7-[0-9a-f]{8}-x86_64\.cfg$/);
    expect(await readFile(join(tree, 'SOURCES/pre.txt'), 'utf8')).toBe(`libgreet /build/SPECS/libgreet.spec ${config}\n`);
    // Then the source RPM (from the tree the pre step changed) and mock.
    expect(srpm.command[2]).toContain('rpmbuild -bs');
    expect(await readdir(join(tree, 'SRPMS'))).toEqual(['libgreet-1.0-1.src.rpm']);
    // The platform with the group's options: its own mock config and root, the chroot setup extended.
    const written = await readFile(join(dir, 'work/build-rpms/mock-config', config.split('/').pop()!), 'utf8');
    expect(written).toMatch(/config_opts\['chroot_setup_cmd'\] = 'install .*\brpm-build\b.* perl-generators'/);
    expect(written).toMatch(/config_opts\['root'\] = 'diracos-cc7-[0-9a-f]{8}-x86_64'/);
    const log = await readFile(join(dir, 'work/build-rpms/logs/libgreet.log'), 'utf8');
    expect(log).toContain('# pre step 1 of libgreet: echo');
  });
});
