import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DiracosError } from '../shared/errors.js';
import { sha256File } from '../shared/hash.js';
import { onTermination, pidAlive } from '../shared/process.js';
import type { Reporter } from '../reporting/reporter.js';

/**
 * The content-addressed download cache: <downloadCache>/sha256/<hex>/<fileName>.
 * A file only gets its final name after its hash was verified, so any non-temp file in an
 * entry is complete; lookups still re-hash it, since the cache may be restored from elsewhere.
 */

export const TEMP_PREFIX = '.tmp-';

export function entryDir(downloadCache: string, sha256: string): string {
  return join(downloadCache, 'sha256', sha256.toLowerCase());
}

/** Names a source may be stored under: one path component, not hidden (hidden names are ours). */
export function checkFileName(fileName: string, what: string): string {
  if (!fileName || fileName.includes('/') || fileName.startsWith('.') || fileName.includes('\0')) {
    throw new DiracosError(`${what}: '${fileName}' is not a usable file name; set fileName`);
  }
  return fileName;
}

/** Complete files of an entry (temp files and markers are hidden). */
export async function entryFiles(downloadCache: string, sha256: string): Promise<string[]> {
  try {
    return (await readdir(entryDir(downloadCache, sha256))).filter((n) => !n.startsWith('.')).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/**
 * The cached file `fileName` of entry `sha256`, if present and its content still matches;
 * a file that does not match is removed (with a warning) so it gets fetched again.
 */
export async function lookup(
  downloadCache: string,
  sha256: string,
  fileName: string,
  reporter: Pick<Reporter, 'warning'>,
): Promise<string | undefined> {
  if (!(await entryFiles(downloadCache, sha256)).includes(fileName)) return undefined;
  const path = join(entryDir(downloadCache, sha256), fileName);
  if ((await sha256File(path)) === sha256.toLowerCase()) return path;
  reporter.warning(`download cache: ${path} does not match its sha256; fetching it again`);
  await rm(path, { force: true });
  return undefined;
}

/**
 * Stores a file in entry `sha256` under `fileName`: `produce` writes a temp file, which is renamed into
 * place only if its sha256 is the expected one. On any failure the temp file (and the entry folder, if it
 * is left empty) is removed, so nothing partial stays. Without an expected sha256 (locking a source) the
 * file is written in the cache's tmp folder first and its entry is the sha256 it turns out to have.
 */
export async function commit(
  downloadCache: string,
  sha256: string | undefined,
  fileName: string,
  what: string,
  produce: (tempPath: string) => Promise<void>,
): Promise<{ path: string; sha256: string }> {
  const expected = sha256?.toLowerCase();
  const dir = expected ? entryDir(downloadCache, expected) : join(downloadCache, 'tmp');
  await mkdir(dir, { recursive: true });
  await removeStaleTemps(dir, TEMP_PREFIX);
  const temp = join(dir, `${TEMP_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}-${fileName}`);
  let entry = dir;
  // Stopped (Ctrl-C, a cancelled job) mid-download: the partial file, however big, goes at once.
  const unregister = onTermination(() => rmSync(temp, { force: true }));
  try {
    await produce(temp);
    const actual = await sha256File(temp);
    if (expected && actual !== expected) {
      throw new DiracosError(`${what}: sha256 mismatch: expected ${expected}, got ${actual}`);
    }
    entry = entryDir(downloadCache, actual);
    await mkdir(entry, { recursive: true });
    const final = join(entry, fileName);
    await rename(temp, final);
    return { path: final, sha256: actual };
  } catch (e) {
    await rm(temp, { force: true });
    if (expected) await removeIfEmpty(entry);
    throw e;
  } finally {
    unregister();
  }
}

/**
 * Temp names start with `prefix` and their writer's pid; those whose process is gone are debris
 * of an interrupted run, removed so a re-run leaves the cache as clean as an uninterrupted one.
 */
export async function removeStaleTemps(dir: string, prefix: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number.parseInt(name.slice(prefix.length), 10);
    if (Number.isInteger(pid) && !pidAlive(pid)) await rm(join(dir, name), { recursive: true, force: true });
  }
}

/** rmdir that only succeeds on an empty folder: another fetch may be filling the same entry. */
async function removeIfEmpty(dir: string): Promise<void> {
  try {
    await rmdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') throw e;
  }
}
