/**
 * The example DIRACOS (examples/diracos.yaml) as the integration tests build it: its repository and
 * work folders live in a cache outside the clone, so later runs on the same machine (and CI there)
 * rebuild nothing; a fresh machine builds it once (about 15 minutes on 2 cores).
 */
import { mkdir, readFile, readdir, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalArtifactStore, LocalCache } from '../../src/cache/local.js';
import { makeTestContext } from './context.js';
import { loadManifest, type LoadedManifest } from '../../src/manifest/load.js';
import { MemoryReporter } from '../../src/reporting/reporter.js';
import type { Context } from '../../src/shared/context.js';

export const TEST_CACHE = process.env.DIRACOS_TEST_CACHE ?? '/var/cache/diracos-tests';
export const EXAMPLE_MANIFEST = fileURLToPath(new URL('../../examples/diracos.yaml', import.meta.url));
const EXAMPLE_DIR = join(TEST_CACHE, 'example');

export async function exampleContext(jobs = 2): Promise<Context & { reporter: MemoryReporter }> {
  const workdir = join(EXAMPLE_DIR, 'work');
  return makeTestContext({
    workdir,
    downloadCache: join(TEST_CACHE, 'downloads'),
    jobs,
    cache: new LocalCache(join(TEST_CACHE, 'cache')),
    artifacts: new LocalArtifactStore(join(workdir, 'artifacts')),
  });
}

/**
 * The example manifest with its repository moved into the test cache: a copy of examples/diracos.yaml
 * beside links to the example's folders, so its relative paths still hold (the actions read a file).
 */
export async function exampleManifestFile(): Promise<string> {
  const dir = join(EXAMPLE_DIR, 'manifest');
  await mkdir(dir, { recursive: true });
  const examples = dirname(EXAMPLE_MANIFEST);
  for (const entry of await readdir(examples, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    await rm(join(dir, entry.name), { force: true });
    await symlink(join(examples, entry.name), join(dir, entry.name));
  }
  // the links lead into examples/: the one folder outside this copy's own that it may read
  const text = (await readFile(EXAMPLE_MANIFEST, 'utf8')).replace(/^repository: .*$/m, `repository: ${join(EXAMPLE_DIR, 'repo')}\nallowPathsOutside: [${JSON.stringify(examples)}]`);
  const file = join(dir, 'diracos.yaml');
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
  return file;
}

export async function exampleManifest(): Promise<LoadedManifest> {
  return loadManifest(await exampleManifestFile());
}

/**
 * Runs fn holding a lock shared by every test process (vitest runs files in parallel): two files
 * building the example repository at once would both compile it.
 */
export async function withExampleLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = join(TEST_CACHE, 'example.lock');
  await mkdir(TEST_CACHE, { recursive: true });
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      // a lock older than 2 hours belongs to a killed run
      const age = Date.now() - (await stat(lock).then((s) => s.mtimeMs, () => Date.now()));
      if (age > 2 * 3600_000) await rm(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
