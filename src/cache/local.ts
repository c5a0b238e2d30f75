import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve as resolvePath, sep } from 'node:path';
import { create as tarCreate, extract as tarExtract } from 'tar';
import { DiracosError } from '../shared/errors.js';
import type { ArtifactStore, Cache } from './types.js';

/** $XDG_CACHE_HOME/diracos, else ~/.cache/diracos: where the CLI keeps caches between runs. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'diracos');
}

const ARCHIVE = '.tar';

/** A cache key as a file name: keys may hold '/' or ':'; encodeURIComponent keeps prefixes as prefixes. */
function fileOf(key: string): string {
  if (!key) throw new DiracosError('a cache key must not be empty');
  return encodeURIComponent(key).replace(/\./g, '%2E') + ARCHIVE;
}

function keyOf(file: string): string | undefined {
  if (!file.endsWith(ARCHIVE) || file.startsWith('.')) return undefined;
  try {
    return decodeURIComponent(file.slice(0, -ARCHIVE.length));
  } catch {
    return undefined;
  }
}

function checkAbsolute(paths: string[], what: string): void {
  if (paths.length === 0) throw new DiracosError(`${what}: no paths given`);
  for (const p of paths) if (!isAbsolute(p)) throw new DiracosError(`${what}: path '${p}' is not absolute`);
}

/** A unique sibling name to write to before renaming into place. */
function tempPath(target: string): string {
  return join(dirname(target), `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
}

/**
 * @actions/cache semantics over a folder: one tar archive per key, holding the saved paths
 * by their absolute names, so a restore puts files back exactly where they were saved from.
 */
export class LocalCache implements Cache {
  constructor(readonly dir: string = join(defaultCacheDir(), 'entries')) {}

  async restore(paths: string[], key: string, restoreKeys: string[] = []): Promise<string | undefined> {
    checkAbsolute(paths, `cache restore '${key}'`);
    const hit = await this.lookup(key, restoreKeys);
    if (hit === undefined) return undefined;
    // Only the requested paths come back, as with @actions/cache (which keys on the path list).
    const wanted = paths.map((p) => resolvePath(p).replace(/\/$/, ''));
    // Absolute member names need preservePaths (tar's own check rejects cwd '/' as an escape).
    await tarExtract({
      file: join(this.dir, fileOf(hit)),
      preservePaths: true,
      strict: true,
      filter: (entry) => {
        const name = entry.replace(/\/$/, '');
        return wanted.some((w) => w === '' || name === w || name.startsWith(w + '/'));
      },
    });
    return hit;
  }

  async save(paths: string[], key: string): Promise<void> {
    checkAbsolute(paths, `cache save '${key}'`);
    // Saving nothing is not an error for a cache (a stage may have produced no downloads).
    const present = paths.map((p) => resolvePath(p)).filter((p) => existsSync(p));
    if (present.length === 0) return;
    await mkdir(this.dir, { recursive: true });
    const target = join(this.dir, fileOf(key));
    const tmp = tempPath(target);
    try {
      await tarCreate({ file: tmp, preservePaths: true, portable: true, strict: true }, present);
      await rename(tmp, target);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /** The exact key, else for each restore key in order the newest entry whose key starts with it. */
  async lookup(key: string, restoreKeys: string[] = []): Promise<string | undefined> {
    if (!existsSync(this.dir)) return undefined;
    const entries: Array<{ key: string; mtime: bigint }> = [];
    for (const file of await readdir(this.dir)) {
      const k = keyOf(file);
      if (k === undefined) continue;
      entries.push({ key: k, mtime: (await stat(join(this.dir, file), { bigint: true })).mtimeNs });
    }
    if (entries.some((e) => e.key === key)) return key;
    for (const prefix of restoreKeys) {
      const matches = entries.filter((e) => e.key.startsWith(prefix));
      matches.sort((a, b) => (a.mtime === b.mtime ? b.key.localeCompare(a.key) : a.mtime > b.mtime ? -1 : 1));
      if (matches.length > 0) return matches[0].key;
    }
    return undefined;
  }
}

const ARTIFACT_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/** Artifacts as folders: `<dir>/<name>/` holds the uploaded files at their paths relative to rootDir. */
export class LocalArtifactStore implements ArtifactStore {
  constructor(readonly dir: string) {}

  async upload(name: string, files: string[], rootDir: string): Promise<string> {
    if (!ARTIFACT_NAME.test(name)) throw new DiracosError(`artifact name '${name}' is not valid (letters, digits, . _ + - only)`);
    if (!isAbsolute(rootDir)) throw new DiracosError(`artifact '${name}': root directory '${rootDir}' is not absolute`);
    if (files.length === 0) throw new DiracosError(`artifact '${name}': no files to upload`);
    const rels = files.map((f) => {
      if (!isAbsolute(f)) throw new DiracosError(`artifact '${name}': path '${f}' is not absolute`);
      const rel = relative(rootDir, f);
      if (rel === '' || rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel)) {
        throw new DiracosError(`artifact '${name}': file '${f}' is not under its root directory '${rootDir}'`);
      }
      return rel;
    });
    await mkdir(this.dir, { recursive: true });
    const target = join(this.dir, name);
    const tmp = tempPath(target);
    try {
      for (const [i, rel] of rels.entries()) {
        await mkdir(dirname(join(tmp, rel)), { recursive: true });
        await copyFile(files[i], join(tmp, rel));
      }
      // Replace a previous upload of the same name as a whole, never half of it.
      const old = existsSync(target) ? tempPath(target) : undefined;
      if (old) await rename(target, old);
      await rename(tmp, target);
      if (old) await rm(old, { recursive: true, force: true });
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    return target;
  }

  async download(name: string, dir: string): Promise<string> {
    const source = join(this.dir, name);
    if (!ARTIFACT_NAME.test(name) || !existsSync(source)) {
      throw new DiracosError(`artifact '${name}' not found in ${this.dir}`);
    }
    await mkdir(dir, { recursive: true });
    await copyTree(source, dir);
    return dir;
  }
}

/** Copies a folder's files into another, each file through a temp name so none is ever half-written. */
async function copyTree(from: string, to: string): Promise<void> {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const src = join(from, entry.name);
    const dst = join(to, entry.name);
    if (entry.isDirectory()) {
      await mkdir(dst, { recursive: true });
      await copyTree(src, dst);
    } else {
      const tmp = tempPath(dst);
      await copyFile(src, tmp);
      await rename(tmp, dst);
    }
  }
}
