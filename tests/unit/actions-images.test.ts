// Image pulls are retried: a registry hiccup must not fail a pipeline of many jobs. The runtime's
// command is a stand-in script on disk that fails a given number of times.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullImages } from '../../src/actions/shared/images.js';
import { MemoryReporter } from '../../src/reporting/reporter.js';
import type { Runtime } from '../../src/runtime/types.js';
import { nodeExec, type Exec } from '../../src/shared/exec.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'actions-images-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A `docker` that fails its first `failures` pulls, logging every call. */
async function fakeDocker(failures: number): Promise<{ exec: Exec; calls: () => Promise<string[]> }> {
  const bin = await mkdtemp(join(dir, 'bin-'));
  const log = join(bin, 'calls');
  await writeFile(
    join(bin, 'docker'),
    `#!/bin/bash\necho "$*" >> "${log}"\nn=$(wc -l < "${log}")\nif [ "$n" -le ${failures} ]; then echo "toomanyrequests: rate limit ($n)" >&2; exit 1; fi\necho pulled\n`,
  );
  await chmod(join(bin, 'docker'), 0o755);
  return {
    exec: (command, args, options) => nodeExec(join(bin, command), args, options),
    calls: async () => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean),
  };
}

const runtime = (present: string[]): Runtime => ({ name: 'docker', imageExists: async (i: string) => present.includes(i) }) as unknown as Runtime;

describe('pullImages', () => {
  it('retries a failed pull and says so', async () => {
    const docker = await fakeDocker(2);
    const reporter = new MemoryReporter();
    const waits: number[] = [];
    await pullImages({ exec: docker.exec, runtime: runtime([]), reporter }, ['centos:7', 'centos:7'], { sleep: async (ms) => void waits.push(ms) });
    expect(await docker.calls()).toEqual(['pull centos:7', 'pull centos:7', 'pull centos:7']);
    expect(waits).toEqual([15_000, 45_000]);
    expect(reporter.messages('warning')).toEqual([
      "image 'centos:7': docker pull failed (attempt 1 of 3: toomanyrequests: rate limit (1)); retrying in 15 s",
      "image 'centos:7': docker pull failed (attempt 2 of 3: toomanyrequests: rate limit (2)); retrying in 45 s",
    ]);
  });

  it('skips images already present and gives up with a warning after the last attempt', async () => {
    const docker = await fakeDocker(5);
    const reporter = new MemoryReporter();
    await pullImages({ exec: docker.exec, runtime: runtime(['localhost/x:1']), reporter }, ['localhost/x:1', 'fedora:40'], { attempts: 2, delays: [0] });
    expect(await docker.calls()).toEqual(['pull fedora:40', 'pull fedora:40']);
    expect(reporter.messages('warning').at(-1)).toBe("image 'fedora:40': docker pull failed 2 times (toomanyrequests: rate limit (2)); going on without it");
  });
});
