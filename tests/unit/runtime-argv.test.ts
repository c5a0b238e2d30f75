import { describe, expect, it } from 'vitest';
import { ContainerRuntime, runArgs } from '../../src/runtime/container.js';
import { DiracosError } from '../../src/shared/errors.js';
import type { Exec, ExecOptions } from '../../src/shared/exec.js';
import type { RunSpec } from '../../src/runtime/types.js';

/** Records the command lines a runtime would run (docker has no engine here, so argv is what we can compare). */
function recorder(): { exec: Exec; calls: Array<{ command: string; args: readonly string[]; options?: ExecOptions }> } {
  const calls: Array<{ command: string; args: readonly string[]; options?: ExecOptions }> = [];
  const exec: Exec = (command, args, options) => {
    calls.push({ command, args, options });
    return Promise.resolve({ exitCode: 0, stdout: '', stderr: '' });
  };
  return { exec, calls };
}

const FULL: RunSpec = {
  image: 'localhost/diracos-platform:bookworm',
  command: ['bash', '-c', 'echo "$A"'],
  mounts: [
    { source: '/srv/in', target: '/in', readOnly: true },
    { source: '/srv/out', target: '/out' },
  ],
  env: { A: 'x y', B: '1=2' },
  workdir: '/out',
  user: '1000:1000',
  privileged: true,
  network: false,
};

describe('container run arguments', () => {
  it('maps every RunSpec field to its docker/podman flag', () => {
    expect(runArgs(FULL)).toEqual([
      'run', '--rm',
      '--mount', 'type=bind,source=/srv/in,target=/in,ro',
      '--mount', 'type=bind,source=/srv/out,target=/out',
      '-e', 'A=x y', '-e', 'B=1=2',
      '-w', '/out',
      '--user', '1000:1000',
      '--privileged',
      '--network', 'none',
      'localhost/diracos-platform:bookworm',
      'bash', '-c', 'echo "$A"',
    ]);
  });

  it('adds nothing for defaults (network on, no mounts)', () => {
    expect(runArgs({ image: 'img', command: ['true'] })).toEqual(['run', '--rm', 'img', 'true']);
  });

  it('gives docker the same arguments as podman, only the binary differs', async () => {
    const docker = recorder();
    const podman = recorder();
    await new ContainerRuntime('docker', docker.exec).run({ ...FULL, allowFailure: true });
    await new ContainerRuntime('podman', podman.exec).run({ ...FULL, allowFailure: true });
    expect(docker.calls.map((c) => c.command)).toEqual(['docker']);
    expect(podman.calls.map((c) => c.command)).toEqual(['podman']);
    // Each container has a name of its own (diracos-<purpose>-<pid>-<random>) and its owner's label.
    const named = (args: readonly string[]) => args[args.indexOf('--name') + 1];
    expect(named(docker.calls[0].args)).toMatch(new RegExp(`^diracos-run-${process.pid}-[0-9a-f]{6}$`));
    expect(named(docker.calls[0].args)).not.toBe(named(podman.calls[0].args));
    const anonymous = (args: readonly string[]) => args.map((a) => (a === named(args) ? 'NAME' : a));
    expect(anonymous(docker.calls[0].args)).toEqual(anonymous(podman.calls[0].args));
    expect(docker.calls[0].args[docker.calls[0].args.indexOf('--label') + 1]).toMatch(new RegExp(`^org\\.diracos\\.owner=${process.pid}\\.\\d*@`));
    expect(docker.calls[0].options?.allowFailure).toBe(true);
  });

  it('rejects mounts docker cannot express, naming them', () => {
    expect(() => runArgs({ image: 'i', command: ['true'], mounts: [{ source: 'rel/dir', target: '/x' }] })).toThrow(/rel\/dir/);
    expect(() => runArgs({ image: 'i', command: ['true'], mounts: [{ source: '/a\nb', target: '/x' }] })).toThrow(DiracosError);
  });

  it('mounts any other path: `,` and `"` are quoted as the engines read --mount (CSV); `:` and the rest pass as they are', () => {
    const odd = `/w/a b (c) 'q' é:x,y"z`;
    const args = runArgs({ image: 'i', command: ['true'], mounts: [{ source: odd, target: '/in', readOnly: true }] });
    expect(args.slice(0, 4)).toEqual(['run', '--rm', '--mount', `type=bind,"source=/w/a b (c) 'q' é:x,y""z",target=/in,ro`]);
  });

  it('rejects a bad environment variable name and an empty command', () => {
    expect(() => runArgs({ image: 'i', command: ['true'], env: { 'A-B': '1' } })).toThrow(/'A-B'/);
    expect(() => runArgs({ image: 'i', command: [] })).toThrow(/empty command/);
  });
});
