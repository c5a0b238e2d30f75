import { join, resolve as resolvePath } from 'node:path';
import { defaultCacheDir, LocalArtifactStore, LocalCache } from '../cache/local.js';
import { loadManifest, type LoadedManifest } from '../manifest/load.js';
import { createContext, RUNTIME_CHOICES } from '../pipeline/context.js';
import type { Reporter } from '../reporting/reporter.js';
import type { Context } from '../shared/context.js';
import { nodeExec } from '../shared/exec.js';
import { option, type Parsed } from './args.js';

/** The manifest of the command line (read and checked before anything else happens). */
export function cliManifest(p: Parsed, reporter: Reporter): LoadedManifest {
  const m = loadManifest(option.string(p, 'manifest') ?? 'diracos.yaml');
  for (const w of m.warnings ?? []) reporter.warning(w.message, w.location);
  reporter.debug(`manifest ${m.file}: DIRACOS ${m.manifest.version}, ${m.packages.length} package(s)`);
  return m;
}

/**
 * The CLI's Context: plain child processes, and folders for what the actions keep in
 * GitHub's services: the cache under --cache-dir, artifacts under the workdir.
 */
export function cliContext(p: Parsed, reporter: Reporter, m: LoadedManifest): Promise<Context> {
  const workdir = resolvePath(option.string(p, 'workdir') ?? '.work');
  const cacheDir = resolvePath(option.string(p, 'cache-dir') ?? defaultCacheDir());
  return createContext({
    exec: nodeExec,
    reporter,
    cache: new LocalCache(join(cacheDir, 'entries')),
    artifacts: new LocalArtifactStore(join(workdir, 'artifacts')),
    runtime: option.choice(p, 'runtime', RUNTIME_CHOICES) ?? 'auto',
    jobs: option.int(p, 'jobs'),
    workdir,
    downloadCache: join(cacheDir, 'downloads'),
    shared: [m.repository],
  });
}

/** Manifest, then Context. */
export async function cliStart(p: Parsed, reporter: Reporter): Promise<{ m: LoadedManifest; ctx: Context }> {
  const m = cliManifest(p, reporter);
  return { m, ctx: await cliContext(p, reporter, m) };
}
