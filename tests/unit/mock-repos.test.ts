/**
 * The generated config read by the real tools: Python execs it the way mock does, and the host's dnf
 * resolves packages with its repository section against real local repositories (rpmbuild + createrepo_c):
 * our rebuilt package must win over a newer one in the base repository.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockConfig } from '../../src/build-rpms/mock-config.js';
import type { PlatformSpec } from '../../src/manifest/types.js';
import { nodeExec } from '../../src/shared/exec.js';

let work: string;

async function rpm(name: string, version: string, repo: string): Promise<void> {
  const top = join(work, 'rpmbuild');
  const spec = join(work, `${name}-${version}.spec`);
  writeFileSync(spec, [`Name: ${name}`, `Version: ${version}`, 'Release: 1', 'Summary: test', 'License: MIT', 'BuildArch: noarch', '%description', 'test', '%files', ''].join('\n'));
  await nodeExec('rpmbuild', ['-bb', '--define', `_topdir ${top}`, '--define', `_rpmdir ${repo}`, '--define', '_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm', spec]);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mock-area-repos-'));
  for (const dir of ['ours', 'buildonly', 'base']) mkdirSync(join(work, dir));
  await rpm('zlib', '1.2.13', join(work, 'ours'));
  await rpm('zlib', '9.9', join(work, 'base')); // newer upstream: must still lose
  await rpm('gdb', '7.6', join(work, 'buildonly'));
  await rpm('gdb', '8.0', join(work, 'base'));
  await rpm('bash', '4.2', join(work, 'base')); // not rebuilt: comes from base
  for (const dir of ['ours', 'buildonly', 'base']) await nodeExec('createrepo_c', ['-q', join(work, dir)]);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

const platforms: PlatformSpec[] = [
  { name: 'cc7', image: 'centos:7', family: 'el', baseRepos: [{ name: 'base', baseurl: 'file:///nonexistent/' }], mock: { releasever: '7' } },
  { name: 'fedora', image: 'fedora:latest', family: 'fedora', baseRepos: [{ name: 'base', baseurl: 'file:///nonexistent/' }], mock: { releasever: '41' } },
];

describe.each(platforms)('the $name config read by python and dnf', (platform) => {
  const confKey = platform.family === 'el' ? 'yum.conf' : 'dnf.conf';
  const text = () =>
    mockConfig(platform, {
      repoDir: join(work, 'ours'),
      buildOnlyDir: join(work, 'buildonly'),
      ourPackages: ['zlib', 'gdb'],
      sourceDateEpoch: 946684800,
      arch: 'x86_64',
      cores: 3,
      baseurls: { base: `file://${join(work, 'base')}/` },
    });

  it('execs as Python the way mock loads it', async () => {
    const script = [
      'import json, sys',
      "config_opts = {'macros': {}, 'plugin_conf': {}, 'environment': {}}",
      'exec(sys.stdin.read())',
      'print(json.dumps(config_opts))',
    ].join('\n');
    const { stdout } = await nodeExec('python3', ['-c', script], { input: text() });
    const cfg = JSON.parse(stdout) as Record<string, unknown>;
    expect(cfg['root']).toBe(`diracos-${platform.name}-x86_64`);
    expect(cfg['macros']).toMatchObject({ '%_smp_mflags': '-j3' });
    expect(cfg['use_nspawn']).toBe(false);
    expect(String(cfg[confKey])).toMatch(/^\n\[main\]\n/);
  });

  it('lets dnf resolve our packages over newer base ones', async () => {
    const { stdout } = await nodeExec('python3', ['-c', `import sys\nconfig_opts={'macros':{},'environment':{}}\nexec(sys.stdin.read())\nsys.stdout.write(config_opts['${confKey}'])`], { input: text() });
    const dir = mkdtempSync(join(work, 'dnf-'));
    const conf = join(dir, 'repos.conf');
    writeFileSync(conf, stdout);
    const { stdout: found } = await nodeExec('dnf', [
      '-q', '-c', conf, '--installroot', join(dir, 'root'), '--releasever', platform.mock!.releasever!, '--forcearch', 'x86_64',
      '--setopt', `cachedir=${join(dir, 'cache')}`, '--disableplugin=*',
      'repoquery', '--qf', '%{name}-%{version} %{repoid}', 'zlib', 'gdb', 'bash',
    ]);
    expect(found.trim().split('\n').sort()).toEqual(['bash-4.2 base', 'gdb-7.6 diracos-buildonly', 'zlib-1.2.13 diracos']);
    expect(readdirSync(join(work, 'base'))).toContain('zlib-9.9-1.noarch.rpm');
  });
});
