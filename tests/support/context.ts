/** The one way tests build a real Context: node exec, podman, a MemoryReporter, folders of their own. */
import { mkdir } from 'node:fs/promises';
import type { ArtifactStore, Cache } from '../../src/cache/types.js';
import { MemoryReporter } from '../../src/reporting/reporter.js';
import { createRuntime } from '../../src/runtime/detect.js';
import { createTools } from '../../src/runtime/tools.js';
import type { Runtime } from '../../src/runtime/types.js';
import type { Context } from '../../src/shared/context.js';
import { nodeExec } from '../../src/shared/exec.js';

/** Stands in for a service a test's code must not touch: any use fails the test loudly. */
function unused(what: string): never {
  return new Proxy({}, { get: (_t, prop) => { throw new Error(`this test must not use ${what} (called ${String(prop)})`); } }) as never;
}

export interface TestContextOptions {
  workdir: string;
  downloadCache: string;
  jobs?: number;
  reporter?: MemoryReporter;
  runtime?: Runtime;
  cache?: Cache;
  artifacts?: ArtifactStore;
}

export async function makeTestContext(o: TestContextOptions): Promise<Context & { reporter: MemoryReporter }> {
  await mkdir(o.workdir, { recursive: true });
  await mkdir(o.downloadCache, { recursive: true });
  const runtime = o.runtime ?? (await createRuntime(nodeExec, 'podman'));
  return {
    exec: nodeExec,
    reporter: o.reporter ?? new MemoryReporter(),
    runtime,
    tools: createTools(runtime, nodeExec, [o.workdir, o.downloadCache]),
    cache: o.cache ?? unused('the cache'),
    artifacts: o.artifacts ?? unused('artifacts'),
    jobs: o.jobs ?? 2,
    workdir: o.workdir,
    downloadCache: o.downloadCache,
  };
}
