import { copyFile, mkdir, mkdtemp, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { Exec } from '../shared/exec.js';
import { readIndex, writeIndex, type IndexEntry, type RepoIndex } from './index-file.js';
import { REPO_PARTS, REPO_TEMP_PREFIX, repoLayout, type RepoLayout, type RepoPart } from './layout.js';

/** gz metadata: readable by every yum/dnf down to EL7 (newer createrepo_c defaults to zstd). */
const CREATEREPO_ARGS = ['--update', '--general-compress-type=gz', '--quiet'];

/**
 * In a part's folder from before its RPMs change until createrepo_c has refreshed its metadata: opening
 * the repository refreshes exactly the parts that have it (or no metadata), not all of them every time.
 */
const STALE_MARK = '.diracos-stale';

/** Parts whose metadata no build reads (source RPMs): refreshed once, by flush(), not after every package. */
const DEFERRED_PARTS: readonly RepoPart[] = ['src'];

export interface RepoFile {
  /** An RPM outside the repository (e.g. rpmbuild's output folder). */
  path: string;
  part: RepoPart;
}

/**
 * The RPM repository as the build engine sees it. The index file (package -> key, rpms) is the truth:
 * RPMs enter through a temp folder on the same filesystem and a rename, createrepo_c runs, and the
 * index is written last, atomically. Opening the repository undoes whatever an interrupted run left.
 */
export class Repository {
  private queue: Promise<unknown> = Promise.resolve();
  private deferred = new Set<RepoPart>();

  private constructor(
    private readonly exec: Exec,
    readonly layout: RepoLayout,
    private index: RepoIndex,
  ) {}

  /** Creates the repository if absent, else brings it back to what its index says. */
  static async open(exec: Exec, root: string, arch: string): Promise<Repository> {
    const layout = repoLayout(root, arch);
    for (const part of REPO_PARTS) await mkdir(layout[part], { recursive: true });
    const repo = new Repository(exec, layout, await readIndex(layout.index));
    await repo.recover();
    return repo;
  }

  entry(name: string): IndexEntry | undefined {
    return this.index.packages[name];
  }

  entries(): Readonly<Record<string, IndexEntry>> {
    return this.index.packages;
  }

  /** Absolute path of an RPM listed in the index. */
  path(rpm: string): string {
    return join(this.layout.root, rpm);
  }

  /**
   * Puts a package's RPMs in (replacing its previous ones) and records its key. Calls are serialized.
   * `beforeRecord` runs once the RPMs are in and the metadata is fresh, before the key is recorded (the
   * package's post steps): if it throws, the package's RPMs and entry are removed, so a re-run rebuilds it.
   */
  add(name: string, key: string, files: readonly RepoFile[], buildOnly: boolean, beforeRecord?: () => Promise<void>): Promise<IndexEntry> {
    const run = this.queue.then(() => this.addNow(name, key, files, buildOnly, beforeRecord));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async addNow(name: string, key: string, files: readonly RepoFile[], buildOnly: boolean, beforeRecord?: () => Promise<void>): Promise<IndexEntry> {
    const { layout } = this;
    const old = this.index.packages[name];
    const parts = new Set<RepoPart>([...files.map((f) => f.part), ...(old?.rpms ?? []).map((r) => this.partOf(r))]);
    await this.markStale(parts);
    const placed = await this.place(files, parts);
    for (const rpm of old?.rpms ?? []) {
      if (placed.includes(rpm)) continue;
      await unlink(this.path(rpm)).catch(ignoreMissing);
    }
    for (const part of parts) if (DEFERRED_PARTS.includes(part)) this.deferred.add(part);
    await Promise.all([...parts].filter((part) => !DEFERRED_PARTS.includes(part)).map((part) => this.createrepo(part)));
    if (beforeRecord) {
      try {
        await beforeRecord();
      } catch (e) {
        await this.dropNow(name, placed);
        throw e;
      }
    }
    const entry: IndexEntry = { key, rpms: placed.sort(), buildOnly };
    this.index = { version: 1, packages: { ...this.index.packages, [name]: entry } };
    await writeIndex(layout.index, this.index);
    return entry;
  }

  /**
   * Puts several packages in at once (merging shard repositories): all RPMs, then one createrepo_c per
   * part and one index write. Each package replaces its previous RPMs, as with add.
   */
  addMany(packages: ReadonlyArray<{ name: string; key: string; files: readonly RepoFile[]; buildOnly: boolean }>): Promise<IndexEntry[]> {
    const run = this.queue.then(() => this.addManyNow(packages));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async addManyNow(packages: ReadonlyArray<{ name: string; key: string; files: readonly RepoFile[]; buildOnly: boolean }>): Promise<IndexEntry[]> {
    const parts = new Set<RepoPart>();
    const entries: IndexEntry[] = [];
    const next = { ...this.index.packages };
    await this.markStale(packages.flatMap((p) => [...p.files.map((f) => f.part), ...(next[p.name]?.rpms ?? []).map((r) => this.partOf(r))]));
    for (const p of packages) {
      const placed = await this.place(p.files, parts);
      for (const rpm of next[p.name]?.rpms ?? []) {
        if (placed.includes(rpm)) continue;
        await unlink(this.path(rpm)).catch(ignoreMissing);
        parts.add(this.partOf(rpm));
      }
      next[p.name] = { key: p.key, rpms: placed.sort(), buildOnly: p.buildOnly };
      entries.push(next[p.name]!);
    }
    await Promise.all([...new Set([...parts, ...this.deferred])].map((part) => this.createrepo(part)));
    this.deferred.clear();
    this.index = { version: 1, packages: next };
    await writeIndex(this.layout.index, this.index);
    return entries;
  }

  /** Copies files into a temp folder of the repository, then renames them in; returns their relative paths. */
  private async place(files: readonly RepoFile[], parts: Set<RepoPart>): Promise<string[]> {
    const { layout } = this;
    const tmp = await mkdtemp(join(layout.root, REPO_TEMP_PREFIX));
    const placed: string[] = [];
    try {
      // Copy first (the source may be on another filesystem), then rename: a file in the repo is always whole.
      const staged = await Promise.all(
        files.map(async (f, i) => {
          const tmpFile = join(tmp, `${i}-${basename(f.path)}`);
          await copyFile(f.path, tmpFile);
          return { tmpFile, dest: join(layout[f.part], basename(f.path)), part: f.part };
        }),
      );
      for (const s of staged) {
        await rename(s.tmpFile, s.dest);
        placed.push(relative(layout.root, s.dest));
        parts.add(s.part);
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    return placed;
  }

  /** Removes a package's RPMs (those listed and those of its entry) and its entry. */
  private async dropNow(name: string, rpms: readonly string[]): Promise<void> {
    const all = new Set([...rpms, ...(this.index.packages[name]?.rpms ?? [])]);
    const parts = new Set([...all].map((r) => this.partOf(r)));
    await this.markStale(parts);
    for (const rpm of all) await unlink(this.path(rpm)).catch(ignoreMissing);
    for (const part of parts) if (DEFERRED_PARTS.includes(part)) this.deferred.add(part);
    await Promise.all([...parts].filter((part) => !DEFERRED_PARTS.includes(part)).map((part) => this.createrepo(part)));
    const { [name]: _dropped, ...rest } = this.index.packages;
    this.index = { version: 1, packages: rest };
    await writeIndex(this.layout.index, this.index);
  }

  /** Removes temp folders, RPMs no index entry owns and entries whose RPMs are gone; refreshes metadata. */
  private async recover(): Promise<void> {
    const { layout } = this;
    for (const name of await readdir(layout.root)) {
      if (name.startsWith(REPO_TEMP_PREFIX)) await rm(join(layout.root, name), { recursive: true, force: true });
    }
    const packages: Record<string, IndexEntry> = {};
    for (const [name, entry] of Object.entries(this.index.packages)) {
      if ((await Promise.all(entry.rpms.map((r) => exists(this.path(r))))).every(Boolean)) packages[name] = entry;
    }
    const owned = new Set(Object.values(packages).flatMap((e) => e.rpms));
    const stale = new Set<RepoPart>();
    for (const part of REPO_PARTS) {
      const dir = layout[part];
      // createrepo_c's own temp folder, left by a killed createrepo_c, makes the next one refuse to run.
      await rm(join(dir, '.repodata'), { recursive: true, force: true });
      // A run killed between a rename and createrepo_c left the mark (and metadata behind its files).
      if ((await exists(join(dir, STALE_MARK))) || !(await exists(join(dir, 'repodata', 'repomd.xml')))) stale.add(part);
      for (const file of await readdir(dir)) {
        if (file.endsWith('.rpm') && !owned.has(relative(layout.root, join(dir, file)))) {
          await unlink(join(dir, file));
          stale.add(part);
        }
      }
    }
    await Promise.all([...stale].map((part) => this.createrepo(part)));
    if (Object.keys(packages).length !== Object.keys(this.index.packages).length) {
      this.index = { version: 1, packages };
      await writeIndex(layout.index, this.index);
    }
  }

  /** The part an RPM path (relative to the root) is in. */
  partOf(rpm: string): RepoPart {
    const dir = join(this.layout.root, rpm, '..');
    return REPO_PARTS.find((p) => this.layout[p] === dir) ?? 'binary';
  }

  /** Refreshes the metadata of the parts whose refresh was deferred (source RPMs); call at the end of a run. */
  flush(): Promise<void> {
    const run = this.queue.then(async () => {
      await Promise.all([...this.deferred].map((part) => this.createrepo(part)));
      this.deferred.clear();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async markStale(parts: Iterable<RepoPart>): Promise<void> {
    for (const part of new Set(parts)) await writeFile(join(this.layout[part], STALE_MARK), '');
  }

  private async createrepo(part: RepoPart): Promise<void> {
    await this.exec('createrepo_c', [...CREATEREPO_ARGS, this.layout[part]]);
    await unlink(join(this.layout[part], STALE_MARK)).catch(ignoreMissing);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function ignoreMissing(e: NodeJS.ErrnoException): void {
  if (e.code !== 'ENOENT') throw e;
}
