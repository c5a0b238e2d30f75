import { describe, expect, it } from 'vitest';
import { MOCK_PATHS, mockBuildPlan, mockCommand, mockPostStep } from '../../src/build-rpms/mock-commands.js';
import { mockConfig } from '../../src/build-rpms/mock-config.js';
import type { PlatformSpec } from '../../src/manifest/types.js';
import { DiracosError } from '../../src/shared/errors.js';

const base = { config: '/diracos/mock/diracos-cc7-x86_64.cfg', srpm: '/diracos/srpms/zlib-1.2.13-1.src.rpm', resultDir: '/diracos/result' };

describe('mockCommand', () => {
  it('is the plain rebuild without options', () => {
    expect(mockCommand(base)).toEqual(['mock', '-r', base.config, '--rebuild', base.srpm, '--resultdir', '/diracos/result']);
  });

  it('passes defines, bconds and --nocheck in order', () => {
    const argv = mockCommand({ ...base, defines: { python3_pkgversion: '311', _without_docs: '1' }, with: ['lto'], without: ['python', 'tests'], check: false, uniqueExt: 'j2' });
    expect(argv).toEqual([
      'mock', '-r', base.config, '--rebuild', base.srpm, '--resultdir', '/diracos/result',
      '--uniqueext=j2',
      '--define', 'python3_pkgversion 311',
      '--define', '_without_docs 1',
      '--with', 'lto',
      '--without', 'python', '--without', 'tests',
      '--nocheck',
    ]);
  });

  it('runs %check unless told not to', () => {
    expect(mockCommand({ ...base, check: true })).not.toContain('--nocheck');
  });

  it.each([
    ['a config name instead of a file', { config: 'epel-7-x86_64' }, /\.cfg/],
    ['a bad macro name', { defines: { 'a b': '1' } }, /'a b'/],
    ['a multi-line define', { defines: { x: '1\n2' } }, /multi-line/],
    ['a bad bcond', { without: ['--nocheck; rm'] }, /--without/],
    ['a bad uniqueext', { uniqueExt: '../x' }, /uniqueext/],
  ])('refuses %s', (_what, extra, message) => {
    expect(() => mockCommand({ ...base, ...extra })).toThrow(DiracosError);
    expect(() => mockCommand({ ...base, ...extra })).toThrow(message);
  });
});

const cc7: PlatformSpec = {
  name: 'cc7',
  image: 'centos:7',
  family: 'el',
  baseRepos: [{ name: 'base', baseurl: 'https://mirror.invalid/7/os/x86_64/' }],
  mock: { releasever: '7', distTag: '.el7' },
};

const request = {
  platform: cc7,
  image: 'localhost/diracos-build-cc7:abc',
  arch: 'x86_64',
  cores: 2,
  repoDir: '/w/repo/main',
  buildOnlyDir: '/w/repo/buildonly',
  srpm: '/w/sources/gdb-7.6-1.src.rpm',
  resultDir: '/w/build/gdb/result',
  configDir: '/w/build/mock',
  cacheDir: '/w/cache/mock-cc7',
  ourPackages: ['gdb', 'gdb-gdbserver'],
  sourceDateEpoch: 1700000000,
  defines: { dist: '.el7' },
  without: ['python'],
  check: false,
};

describe('mockBuildPlan', () => {
  const plan = mockBuildPlan(request);

  it('writes the config for the container paths', () => {
    expect(plan.configFile).toBe('/w/build/mock/diracos-cc7-x86_64.cfg');
    expect(plan.configText).toBe(
      mockConfig(cc7, { repoDir: MOCK_PATHS.repo, buildOnlyDir: MOCK_PATHS.buildOnly, ourPackages: request.ourPackages, sourceDateEpoch: 1700000000, arch: 'x86_64', cores: 2 }),
    );
    expect(plan.configText).toContain('baseurl=file:///diracos/repo\n');
    expect(plan.configText).not.toContain('/w/repo');
  });

  it('runs mock in a privileged container of the platform with the build options', () => {
    expect(plan.run.image).toBe(request.image);
    expect(plan.run.privileged).toBe(true);
    expect(plan.run.command).toEqual([
      'mock', '-r', '/diracos/mock/diracos-cc7-x86_64.cfg', '--rebuild', '/diracos/srpms/gdb-7.6-1.src.rpm', '--resultdir', '/diracos/result',
      '--define', 'dist .el7', '--without', 'python', '--nocheck',
    ]);
  });

  it('mounts inputs read-only and the result and mock cache writable', () => {
    expect(plan.run.mounts).toEqual([
      { source: '/w/repo/main', target: '/diracos/repo', readOnly: true },
      { source: '/w/repo/buildonly', target: '/diracos/buildonly', readOnly: true },
      { source: '/w/build/mock', target: '/diracos/mock', readOnly: true },
      { source: '/w/cache/mock-cc7', target: '/var/cache/mock' },
      { source: '/w/sources', target: '/diracos/srpms', readOnly: true },
      { source: '/w/build/gdb/result', target: '/diracos/result' },
    ]);
  });

  it('leaves out the buildOnly mount and repo when there is none', () => {
    const p = mockBuildPlan({ ...request, buildOnlyDir: undefined });
    expect(p.run.mounts!.map((m) => m.target)).not.toContain(MOCK_PATHS.buildOnly);
    expect(p.configText).not.toContain('diracos-buildonly');
  });

  it('refuses something that is not a source RPM', () => {
    expect(() => mockBuildPlan({ ...request, srpm: '/w/gdb.spec' })).toThrow(/not a source RPM/);
  });
});

describe('mockPostStep', () => {
  // The manifest's bootstrap group: gdb without python into buildOnly, then drop mock's root cache
  // (it still holds the distribution's gdb) so the next build root gets ours.
  const step = 'mock -r "$DIRACOS_MOCK_CONFIG" --scrub=root-cache';
  const plan = mockPostStep(request, step);

  it('runs the manifest step in the same privileged container, cache and config as the builds', () => {
    expect(plan.run.command).toEqual(['bash', '-euo', 'pipefail', '-c', step]);
    expect(plan.run.privileged).toBe(true);
    expect(plan.run.image).toBe(request.image);
    expect(plan.run.env).toEqual({
      DIRACOS_MOCK_CONFIG: '/diracos/mock/diracos-cc7-x86_64.cfg',
      DIRACOS_MOCK_ROOT: 'diracos-cc7-x86_64',
      DIRACOS_REPO: '/diracos/repo',
      DIRACOS_BUILDONLY: '/diracos/buildonly',
    });
    expect(plan.run.mounts).toContainEqual({ source: '/w/cache/mock-cc7', target: '/var/cache/mock' });
    expect(plan.configFile).toBe(mockBuildPlan(request).configFile);
    expect(plan.configText).toBe(mockBuildPlan(request).configText);
  });
});
