/** What the runner must have: one message, before anything runs, naming everything that is missing. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalArtifactStore, LocalCache } from '../../src/cache/local.js';
import { createContext } from '../../src/pipeline/create-context.js';
import { MemoryReporter } from '../../src/reporting/reporter.js';
import { nodeExec } from '../../src/shared/exec.js';
import { HOST_TOOLS, missingOnPath } from '../../src/shared/tools.js';

const dir = mkdtempSync(join(tmpdir(), 'host-contract-'));
const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});

function parts(runtime: 'auto' | 'host') {
  return {
    exec: nodeExec,
    reporter: new MemoryReporter(),
    cache: new LocalCache(join(dir, 'cache')),
    artifacts: new LocalArtifactStore(join(dir, 'artifacts')),
    runtime,
    workdir: join(dir, 'work'),
    downloadCache: join(dir, 'dl'),
  };
}

describe('the host contract', () => {
  it('a runner with neither engine nor basic tools gets one message listing all of it', async () => {
    process.env.PATH = join(dir, 'empty');
    const err = (await createContext(parts('auto')).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/no working container engine found \(tried docker, podman\)/);
    expect(err.message).toMatch(/docker: required tool 'docker' was not found on PATH \(on Debian: apt-get install docker\.io\)/);
    expect(err.message).toMatch(/podman: required tool 'podman' was not found/);
    for (const tool of HOST_TOOLS.container) expect(err.message).toContain(`required tool '${tool}' was not found on PATH`);
  });

  it('the host runtime needs the RPM tools on this machine, and names each missing one', async () => {
    const bin = join(dir, 'bin');
    rmSync(bin, { recursive: true, force: true });
    mkdirSync(bin);
    for (const t of ['tar', 'bash', 'sh']) symlinkSync(`/usr/bin/${t === 'sh' ? 'dash' : t}`, join(bin, t));
    process.env.PATH = bin;
    const err = (await createContext(parts('host')).catch((e: unknown) => e)) as Error;
    expect(err.message.split('\n')[0]).toBe('this machine lacks tools the pipeline needs (runtime host):');
    for (const tool of ['rpm', 'dnf', 'createrepo_c', 'patchelf', 'zstd']) expect(err.message).toContain(`required tool '${tool}' was not found on PATH`);
    expect(err.message).not.toContain("'tar'");
  });

  it('missingOnPath finds executables only', () => {
    expect(missingOnPath(['sh', 'no-such-tool-here'], '/usr/bin:/bin')).toEqual(['no-such-tool-here']);
  });
});
