import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import type { ArtifactStore, Cache } from '../cache/types.js';
import type { Reporter } from '../reporting/reporter.js';
import { createRuntime, type RuntimePreference } from '../runtime/detect.js';
import { createTools } from '../runtime/tools.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';
import type { Exec } from '../shared/exec.js';
import { HOST_TOOLS, missingOnPath, missingToolMessage } from '../shared/tools.js';

export const RUNTIME_CHOICES = ['auto', 'docker', 'podman', 'host'] as const satisfies readonly RuntimePreference[];

/** What a shell (action or CLI) decides; everything else of a Context follows from it. */
export interface ContextParts {
  exec: Exec;
  reporter: Reporter;
  cache: Cache;
  artifacts: ArtifactStore;
  runtime: RuntimePreference;
  /** Parallel jobs; default: the CPUs this process may use. */
  jobs?: number;
  workdir: string;
  downloadCache: string;
  /** More host folders the tools must see (the manifest's repository, output folders). */
  shared?: readonly string[];
}

function missingToolLines(where: 'container' | 'host'): string[] {
  return missingOnPath(HOST_TOOLS[where]).map((t) => `  ${missingToolMessage(t)}`);
}

/** The one place a Context is put together, for the actions and the CLI alike. */
export async function createContext(parts: ContextParts): Promise<Context> {
  const workdir = resolvePath(parts.workdir);
  const downloadCache = resolvePath(parts.downloadCache);
  mkdirSync(workdir, { recursive: true });
  mkdirSync(downloadCache, { recursive: true });
  const runtime = await createRuntime(parts.exec, parts.runtime, (m) => parts.reporter.info(m)).catch((e: unknown) => {
    // One message for everything this machine lacks: the engine and the basic tools.
    if (!(e instanceof DiracosError)) throw e;
    throw new DiracosError([e.message, ...missingToolLines('container')].join('\n'));
  });
  const lacking = missingToolLines(runtime.name === 'host' ? 'host' : 'container');
  if (lacking.length > 0) throw new DiracosError([`this machine lacks tools the pipeline needs (runtime ${runtime.name}):`, ...lacking].join('\n'));
  const tools = createTools(runtime, parts.exec, [workdir, downloadCache, ...(parts.shared ?? [])], (m) => parts.reporter.info(m));
  parts.reporter.info(`containers: ${runtime.name}; RPM tools: ${tools.where}; workdir ${workdir}`);
  return {
    exec: parts.exec,
    reporter: parts.reporter,
    runtime,
    tools,
    cache: parts.cache,
    artifacts: parts.artifacts,
    jobs: parts.jobs ?? availableParallelism(),
    workdir,
    downloadCache,
  };
}
