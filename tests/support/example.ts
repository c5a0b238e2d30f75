/**
 * The example DIRACOS (examples/diracos.yaml) as the integration tests build it: its repository and
 * work folders live in a cache outside the clone, so later runs on the same machine (and CI there)
 * rebuild nothing; a fresh machine builds it once (about 15 minutes on 2 cores).
 */
import { mkdir, readFile, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalArtifactStore, LocalCache } from '../../src/cache/local.js';
import { makeTestContext } from './context.js';
import { withLock } from './lock.js';
import { loadManifest, type LoadedManifest } from '../../src/manifest/load.js';
import { MemoryReporter } from '../../src/reporting/reporter.js';
import type { Context } from '../../src/shared/context.js';

export const TEST_CACHE = process.env.DIRACOS_TEST_CACHE ?? '/var/cache/diracos-tests';
export const EXAMPLE_MANIFEST = fileURLToPath(new URL('../../examples/diracos.yaml', import.meta.url));
const EXAMPLE_DIR = join(TEST_CACHE, 'example');
/** Held while a test builds or reads the example (see withExampleLock). */
export const EXAMPLE_LOCK = join(TEST_CACHE, 'example.lock');
/** Folders of the checkout the example shares with the real DIRACOS (its ../specs, ../patches). */
const SHARED_FOLDERS = ['specs', 'patches'];

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
 * beside links to the example's folders, and beside those links to the checkout's specs/ and patches/
 * (the example's ../specs, ../patches), so its relative paths still hold (the actions read a file).
 */
export async function exampleManifestFile(): Promise<string> {
  const top = join(EXAMPLE_DIR, 'manifest');
  const dir = join(top, 'examples');
  await mkdir(dir, { recursive: true });
  const examples = dirname(EXAMPLE_MANIFEST);
  const link = async (target: string, at: string) => {
    await rm(at, { force: true });
    await symlink(target, at);
  };
  for (const shared of SHARED_FOLDERS) await link(join(dirname(examples), shared), join(top, shared));
  for (const entry of await readdir(examples, { withFileTypes: true })) {
    if (entry.isDirectory()) await link(join(examples, entry.name), join(dir, entry.name));
  }
  // the links lead into examples/ too: a folder outside this copy's own that it may read
  const text = (await readFile(EXAMPLE_MANIFEST, 'utf8'))
    .replace(/^repository: .*$/m, `repository: ${join(EXAMPLE_DIR, 'repo')}`)
    .replace(/^allowPathsOutside: \[(.*)\]$/m, (_m, list: string) => `allowPathsOutside: [${list}, ${JSON.stringify(examples)}]`);
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
 * building the example repository at once would both compile it. The lock names its owner process; a
 * killed run's lock is taken over by the next run (see ./lock.ts).
 */
export async function withExampleLock<T>(fn: () => Promise<T>): Promise<T> {
  await mkdir(TEST_CACHE, { recursive: true });
  return withLock(EXAMPLE_LOCK, fn);
}
