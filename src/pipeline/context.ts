import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import type { ArtifactStore, Cache } from '../cache/types.js';
import type { Reporter } from '../reporting/reporter.js';
import { createRuntime, type RuntimePreference } from '../runtime/detect.js';
import type { Context } from '../shared/context.js';
import type { Exec } from '../shared/exec.js';

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
}

/** The one place a Context is put together, for the actions and the CLI alike. */
export async function createContext(parts: ContextParts): Promise<Context> {
  const workdir = resolvePath(parts.workdir);
  const downloadCache = resolvePath(parts.downloadCache);
  mkdirSync(workdir, { recursive: true });
  mkdirSync(downloadCache, { recursive: true });
  const runtime = await createRuntime(parts.exec, parts.runtime);
  parts.reporter.debug(`runtime ${runtime.name}, workdir ${workdir}, downloads ${downloadCache}`);
  return {
    exec: parts.exec,
    reporter: parts.reporter,
    runtime,
    cache: parts.cache,
    artifacts: parts.artifacts,
    jobs: parts.jobs ?? availableParallelism(),
    workdir,
    downloadCache,
  };
}
