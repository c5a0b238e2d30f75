import { mkdirSync, statSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { defaultCacheDir, LocalArtifactStore, LocalCache } from '../cache/local.js';
import { loadManifest, type LoadedManifest } from '../manifest/load.js';
import { BUILD_BACKENDS, withBackend } from '../manifest/overrides.js';
import { createContext, RUNTIME_CHOICES } from '../pipeline/create-context.js';
import type { Reporter } from '../reporting/reporter.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';
import { nodeExec } from '../shared/exec.js';
import { option, type Parsed } from './args.js';

/** The manifest of the command line (read and checked before anything else happens), with the command's --backend. */
export function cliManifest(p: Parsed, reporter: Reporter): LoadedManifest {
  const m = loadManifest(option.string(p, 'manifest') ?? 'diracos.yaml');
  for (const w of m.warnings ?? []) reporter.warning(w.message, w.location);
  reporter.debug(`manifest ${m.file}: DIRACOS ${m.manifest.version}, ${m.packages.length} package(s)`);
  return withBackend(m, option.choice(p, 'backend', BUILD_BACKENDS));
}

/** The folder an option names, made when missing; a file or a path through a file is the user's error, said so. */
export function folderOption(p: Parsed, name: 'workdir' | 'cache-dir', fallback: string): string {
  const dir = resolvePath(option.string(p, name) ?? fallback);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new DiracosError(`--${name}: '${dir}' exists and is not a folder`);
    if (code === 'ENOTDIR') throw new DiracosError(`--${name}: '${dir}' cannot be a folder: a part of that path is a file`);
    if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') throw new DiracosError(`--${name}: cannot create the folder '${dir}' (${code})`);
    throw e;
  }
  if (!statSync(dir).isDirectory()) throw new DiracosError(`--${name}: '${dir}' is not a folder`);
  return dir;
}

/**
 * The CLI's Context: plain child processes, and folders for what the actions keep in
 * GitHub's services: the cache under --cache-dir, artifacts under the workdir.
 */
export function cliContext(p: Parsed, reporter: Reporter, m: LoadedManifest): Promise<Context> {
  const workdir = folderOption(p, 'workdir', '.work');
  const cacheDir = folderOption(p, 'cache-dir', defaultCacheDir());
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
