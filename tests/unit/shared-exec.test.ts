// nodeExec, the Exec of the CLI and the tests, with real processes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeExec } from '../../src/shared/exec.js';

const home = mkdtempSync(join(tmpdir(), 'shared-exec-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('nodeExec', () => {
  it("gives a child without input /dev/null, not a socket: bash as the top shell then reads no ~/.bashrc", async () => {
    expect((await nodeExec('readlink', ['/proc/self/fd/0'])).stdout.trim()).toBe('/dev/null');
    writeFileSync(join(home, '.bashrc'), 'echo from-bashrc\n');
    // As under a runner: no SHLVL, so bash is the top shell.
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
    delete env.SHLVL;
    expect((await nodeExec('bash', ['-c', 'echo ran'], { env })).stdout).toBe('ran\n');
    // Given input, stdin is a Node pipe (a socket) and this bash reads the user's startup file first.
    expect((await nodeExec('bash', ['-c', 'echo ran'], { env, input: '' })).stdout).toBe('from-bashrc\nran\n');
  });

  it('hands its input to the child', async () => {
    expect((await nodeExec('cat', [], { input: 'given\n' })).stdout).toBe('given\n');
  });
});
