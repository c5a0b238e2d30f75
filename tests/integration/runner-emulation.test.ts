/**
 * The example as users run it on a GitHub `ubuntu-latest` runner (scripts/runner-env.sh): the four
 * committed action bundles, chained, as the unprivileged user `runner` whose only privilege is the
 * docker group, with Node 24, Docker Engine, a PATH without rpm, dnf, createrepo_c or patchelf, and a
 * host (Debian 12, glibc 2.36) newer than the build platform (bullseye, glibc 2.31). The repository
 * starts as the podman-built example's minus one package, which is built here; the bundle compiles a
 * C extension with pip and copies a link target, both from the build platform; the tarball passes
 * test-platforms on every local platform; everything written belongs to `runner`, who can delete it.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapPython } from '../../src/bootstrap-python/index.js';
import { buildRpms } from '../../src/build-rpms/index.js';
import { readElf } from '../../src/elf/reader.js';
import { newestVersions } from '../../src/elf/versions.js';
import { runActionBundle, runnerWorld, type ActionRun, type RunnerWorld } from '../support/action-runner.js';
import { exampleContext, exampleManifest, TEST_CACHE, withExampleLock } from '../support/example.js';

const LEAF = 'diracos-example-links';

/** Every path under `dir` (itself excluded) not owned by `uid`. */
function notOwnedBy(dir: string, uid: number): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.uid !== uid) out.push(p);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

function docker(world: RunnerWorld, args: string[]): string {
  return execFileSync('docker', args, { env: { ...process.env, ...world.env } }).toString();
}

describe('the example under the runner emulation (docker, unprivileged runner, node24, no RPM tools on PATH)', () => {
  let world: RunnerWorld;
  let scratch: string;
  let ws: string;
  let temp: string;
  const runs: Record<string, ActionRun> = {};
  let unpacked: string;

  beforeAll(async () => {
    world = runnerWorld();
    // The example's repository, built as root with podman (a no-op when the test cache has it).
    await withExampleLock(async () => {
      const ctx = await exampleContext();
      const m = await exampleManifest();
      await bootstrapPython(ctx, m);
      await buildRpms(ctx, m);
      scratch = mkdtempSync(join(tmpdir(), 'runner-emulation-'));
      chmodSync(scratch, 0o755);
      ws = join(scratch, 'ws');
      cpSync('examples', join(ws, 'examples'), { recursive: true, dereference: true });
      // the example's ../specs and ../patches, shared with the root manifest
      for (const shared of ['specs', 'patches']) cpSync(shared, join(ws, shared), { recursive: true });
      cpSync(m.repository, join(ws, '.work', 'example', 'repo'), { recursive: true });
      temp = join(scratch, 'runner-temp');
      cpSync(join(TEST_CACHE, 'downloads'), join(temp, 'diracos', 'downloads'), { recursive: true });
    });
    // Without the leaf package: build-rpms builds it as `runner` in a docker build container.
    const repo = join(ws, '.work', 'example', 'repo');
    const index = JSON.parse(readFileSync(join(repo, 'diracos-index.json'), 'utf8')) as { packages: Record<string, { rpms: string[] }> };
    for (const rpm of index.packages[LEAF]!.rpms) rmSync(join(repo, rpm));
    delete index.packages[LEAF];
    writeFileSync(join(repo, 'diracos-index.json'), JSON.stringify(index, null, 2));
    mkdirSync(temp, { recursive: true });
    execFileSync('chown', ['-R', `${world.uid}:${world.gid}`, ws, temp]);

    const where = { workspace: ws, scratch, runnerTemp: temp, runner: world };
    const common = { manifest: 'examples/diracos.yaml', jobs: '2' };
    runs.python = await runActionBundle('bootstrap-python', common, where);
    runs.rpms = await runActionBundle('build-rpms', common, where);
    runs.bundle = await runActionBundle('bundle-diracos', common, where);
    runs.test = await runActionBundle('test-platforms', { ...common, tarball: runs.bundle.outputs.tarball ?? '', platform: 'all' }, where);
    if (runs.bundle.outputs.tarball) {
      unpacked = join(scratch, 'unpacked');
      mkdirSync(unpacked);
      execFileSync('tar', ['-xzf', runs.bundle.outputs.tarball, '-C', unpacked]);
    }
  }, 3600_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('the runner has no RPM tools on its PATH and runs Node 24', () => {
    const probe = (cmd: string) =>
      execFileSync('runuser', ['-u', world.user, '--', 'env', '-i', `PATH=${world.path}`, 'sh', '-c', cmd], { encoding: 'utf8' }).trim();
    expect(probe('for t in rpm rpmbuild dnf createrepo_c patchelf rpm2cpio cpio zstd; do command -v $t; done; true')).toBe('');
    expect(probe('node --version')).toMatch(/^v24\./);
    expect(probe('id -u')).toBe(String(world.uid));
  });

  it('every action runs with docker and the tools container', () => {
    for (const [name, r] of Object.entries(runs)) {
      expect(r.status, `${name}:\n${r.stdout}`).toBe(0);
      expect(r.stdout, name).toMatch(/containers: docker; RPM tools: docker image localhost\/diracos-tools/);
    }
  });

  it('bootstrap-python finds CPython built, build-rpms builds exactly the missing package', () => {
    expect(runs.python!.outputs['cache-hit'] ?? '').not.toBe('');
    expect(runs.rpms!.outputs).toMatchObject({ built: '1', cached: String(11 - 1) });
    expect(runs.rpms!.stdout).toContain(LEAF);
  });

  it('the C extension was compiled on the build platform: it needs no glibc newer than bullseye\'s 2.31', () => {
    // platform-specific code goes to the platlib: usr/lib64 on this CPython
    const site = join(unpacked, readdirSync(unpacked)[0]!, 'usr/lib64/python3.11/site-packages');
    const so = readdirSync(site).find((f) => /^diracos_example_ext\..*\.so$/.test(f));
    expect(so, readdirSync(site).join(' ')).toBeDefined();
    const newest = newestVersions(readElf(join(site, so!)).versionNeeds);
    expect(newest.GLIBC).toBeDefined();
    const [major, minor] = newest.GLIBC!.replace('GLIBC_', '').split('.').map(Number);
    expect(major! * 100 + minor!).toBeLessThanOrEqual(231);
  });

  it('a link leaving the tree became a copy of the BUILD platform\'s file; one whose target is nowhere is listed', () => {
    const top = join(unpacked, readdirSync(unpacked)[0]!);
    const copy = join(top, 'usr/share/diracos-example/build-platform-release');
    expect(lstatSync(copy).isFile()).toBe(true);
    const buildPlatform = docker(world, ['run', '--rm', 'localhost/diracos-platform:bullseye-build', 'cat', '/etc/debian_version']);
    expect(readFileSync(copy, 'utf8')).toBe(buildPlatform);
    expect(readFileSync(copy, 'utf8')).not.toBe(readFileSync('/etc/debian_version', 'utf8'));
    expect(readFileSync(join(top, 'brokenLinks.txt'), 'utf8')).toContain('usr/share/diracos-example/nowhere -> /opt/diracos-example-nowhere/file\n');
    expect(runs.bundle!.stdout).toMatch(/removed the link \/usr\/share\/diracos-example\/nowhere -> \/opt\/diracos-example-nowhere\/file \(not on the build platform\)/);
  });

  it('test-platforms passes the tarball on every local platform', () => {
    expect(runs.test!.outputs.failed).toBe('0');
    for (const platform of ['bullseye', 'bullseye-minimal', 'bookworm', 'trixie']) expect(runs.test!.summary).toContain(platform);
  });

  it('everything the runs wrote belongs to runner, who can delete it; no container is left', () => {
    expect(notOwnedBy(ws, world.uid)).toEqual([]);
    expect(notOwnedBy(temp, world.uid)).toEqual([]);
    execFileSync('runuser', ['-u', world.user, '--', 'rm', '-rf', join(temp, 'diracos')]);
    expect(existsSync(join(temp, 'diracos'))).toBe(false);
    expect(docker(world, ['ps', '--all', '--quiet', '--filter', 'label=org.diracos.owner']).trim()).toBe('');
  });
});
