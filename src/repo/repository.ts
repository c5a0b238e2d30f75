import { copyFile, mkdir, mkdtemp, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { DiracosError } from '../shared/errors.js';
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

/**
 * Where RPMs found in the repository but in no index entry go (outside every part, so no metadata lists
 * them and nothing is built or bundled from them): they are reported and kept, never silently deleted.
 */
export const UNINDEXED_DIR = 'unindexed';

export interface RepoOpenOptions {
  /** Told what recovery found that the user should know (RPMs no index entry lists, packages whose RPMs are gone). */
  onWarning?: (message: string) => void;
}

export interface RepoFile {
  /** An RPM outside the repository (e.g. rpmbuild's output folder). */
  path: string;
  part: RepoPart;
}

/**
 * The RPM repository as the build engine sees it. The index file (package -> key, rpms) is the truth,
 * and a key never names RPMs of another key: a package changes in two index writes (each a rename).
 * The first drops its entry and lists its old and new RPM paths as `pending`; then the new RPMs enter
 * (copied into a temp folder on the same filesystem, renamed in: they may replace the old files of the
 * same name), the old ones go, createrepo_c runs; the second write records the new entry. A run killed
 * anywhere leaves the old entry with its own RPMs or no entry (the package is rebuilt), never a key over
 * RPMs built from other inputs. Opening the repository removes what an interrupted change left (pending
 * paths, temp folders) and reports RPMs nothing accounts for. Callers hold the repository lock
 * (lockRepository) while a Repository is open.
 */
export class Repository {
  private queue: Promise<unknown> = Promise.resolve();
  private deferred = new Set<RepoPart>();

  private constructor(
    private readonly exec: Exec,
    readonly layout: RepoLayout,
    private index: RepoIndex,
    private readonly onWarning: (message: string) => void,
  ) {}

  /** Creates the repository if absent, else brings it back to what its index says. */
  static async open(exec: Exec, root: string, arch: string, opts: RepoOpenOptions = {}): Promise<Repository> {
    const layout = repoLayout(root, arch);
    for (const part of REPO_PARTS) await mkdir(layout[part], { recursive: true });
    const repo = new Repository(exec, layout, await readIndex(layout.index), opts.onWarning ?? (() => undefined));
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
    const old = this.index.packages[name];
    const dests = this.destinations(name, files);
    const parts = new Set<RepoPart>([...files.map((f) => f.part), ...(old?.rpms ?? []).map((r) => this.partOf(r))]);
    // From here until the entry is recorded, the package is not in the index.
    await this.record(this.without([name]), [...dests, ...(old?.rpms ?? [])]);
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
    await this.record({ ...this.index.packages, [name]: entry });
    return entry;
  }

  /** Writes the index: `packages`, with `pending` RPM paths (see RepoIndex.pending). */
  private async record(packages: Record<string, IndexEntry>, pending: readonly string[] = []): Promise<void> {
    this.index = { version: 1, packages, ...(pending.length > 0 ? { pending: [...pending] } : {}) };
    await writeIndex(this.layout.index, this.index);
  }

  private without(names: readonly string[]): Record<string, IndexEntry> {
    return Object.fromEntries(Object.entries(this.index.packages).filter(([n]) => !names.includes(n)));
  }

  /**
   * The repository paths `files` of package `name` take; an RPM file name another package of `kept`
   * has (two packages building one RPM) is an error: one would silently replace the other's file.
   */
  private destinations(name: string, files: readonly RepoFile[], kept: Readonly<Record<string, IndexEntry>> = this.index.packages): string[] {
    const dests = files.map((f) => relative(this.layout.root, join(this.layout[f.part], basename(f.path))));
    for (const dest of dests) {
      const other = Object.entries(kept).find(([n, e]) => n !== name && e.rpms.includes(dest));
      if (other) throw new DiracosError(`package '${name}': its RPM ${dest} is already in the repository ${this.layout.root} as an RPM of package '${other[0]}'`);
    }
    const twice = dests.find((d, i) => dests.indexOf(d) !== i);
    if (twice) throw new DiracosError(`package '${name}': two of its RPMs would both be ${twice} in the repository ${this.layout.root}`);
    return dests;
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
    const names = packages.map((p) => p.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) throw new DiracosError(`package '${twice}' is given twice to add to the repository ${this.layout.root}`);
    const parts = new Set<RepoPart>();
    const entries: IndexEntry[] = [];
    const previous = this.index.packages;
    const others = this.without(names);
    const byDest = new Map<string, string>();
    for (const p of packages) {
      for (const dest of this.destinations(p.name, p.files, others)) {
        const other = byDest.get(dest);
        if (other !== undefined && other !== p.name) throw new DiracosError(`packages '${other}' and '${p.name}' would both put ${dest} in the repository ${this.layout.root}`);
        byDest.set(dest, p.name);
      }
    }
    const dests = [...byDest.keys()];
    const olds = packages.flatMap((p) => previous[p.name]?.rpms ?? []);
    await this.record(others, [...dests, ...olds]);
    await this.markStale([...packages.flatMap((p) => p.files.map((f) => f.part)), ...olds.map((r) => this.partOf(r))]);
    const next = { ...others };
    for (const p of packages) {
      const placed = await this.place(p.files, parts);
      for (const rpm of previous[p.name]?.rpms ?? []) {
        if (placed.includes(rpm)) continue;
        await unlink(this.path(rpm)).catch(ignoreMissing);
        parts.add(this.partOf(rpm));
      }
      next[p.name] = { key: p.key, rpms: placed.sort(), buildOnly: p.buildOnly };
      entries.push(next[p.name]!);
    }
    await Promise.all([...new Set([...parts, ...this.deferred])].map((part) => this.createrepo(part)));
    this.deferred.clear();
    await this.record(next);
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
    const all = [...new Set([...rpms, ...(this.index.packages[name]?.rpms ?? [])])];
    const parts = new Set(all.map((r) => this.partOf(r)));
    await this.record(this.without([name]), [...(this.index.pending ?? []), ...all]);
    await this.markStale(parts);
    for (const rpm of all) await unlink(this.path(rpm)).catch(ignoreMissing);
    for (const part of parts) if (DEFERRED_PARTS.includes(part)) this.deferred.add(part);
    await Promise.all([...parts].filter((part) => !DEFERRED_PARTS.includes(part)).map((part) => this.createrepo(part)));
    await this.record(this.index.packages);
  }

  /**
   * Removes temp folders, the RPMs of an interrupted change (pending) and of entries whose RPMs are gone
   * (those entries too); moves any other RPM no entry owns to UNINDEXED_DIR, saying so; refreshes metadata.
   */
  private async recover(): Promise<void> {
    const { layout } = this;
    for (const name of await readdir(layout.root)) {
      if (name.startsWith(REPO_TEMP_PREFIX)) await rm(join(layout.root, name), { recursive: true, force: true });
    }
    const packages: Record<string, IndexEntry> = {};
    const ours = new Set(this.index.pending ?? []);
    for (const [name, entry] of Object.entries(this.index.packages)) {
      const missing = (await Promise.all(entry.rpms.map(async (r) => ((await exists(this.path(r))) ? undefined : r)))).filter((r) => r !== undefined);
      if (missing.length === 0) {
        packages[name] = entry;
        continue;
      }
      this.onWarning(`repository ${layout.root}: package '${name}' lacks ${missing.join(', ')} (deleted by hand?): its entry is dropped and it will be rebuilt`);
      for (const r of entry.rpms) ours.add(r);
    }
    const owned = new Set(Object.values(packages).flatMap((e) => e.rpms));
    const stale = new Set<RepoPart>();
    const unindexed: string[] = [];
    for (const part of REPO_PARTS) {
      const dir = layout[part];
      // createrepo_c's own temp folder, left by a killed createrepo_c, makes the next one refuse to run.
      await rm(join(dir, '.repodata'), { recursive: true, force: true });
      // A run killed between a rename and createrepo_c left the mark (and metadata behind its files).
      if ((await exists(join(dir, STALE_MARK))) || !(await exists(join(dir, 'repodata', 'repomd.xml')))) stale.add(part);
      for (const file of await readdir(dir)) {
        const rpm = relative(layout.root, join(dir, file));
        if (!file.endsWith('.rpm') || owned.has(rpm)) continue;
        stale.add(part);
        if (ours.has(rpm)) await unlink(join(dir, file));
        else unindexed.push(await this.moveAside(rpm));
      }
    }
    await Promise.all([...stale].map((part) => this.createrepo(part)));
    if (Object.keys(packages).length !== Object.keys(this.index.packages).length || this.index.pending !== undefined) await this.record(packages);
    if (unindexed.length > 0) {
      this.onWarning(
        `repository ${layout.root}: ${unindexed.length} RPM(s) that its index (${basename(layout.index)}) does not list were moved out of the repository, not deleted ` +
          `(another run may have written it at the same time, or they were copied in by hand; nothing is built or bundled from them; delete them once you no longer need them):\n` +
          unindexed.map((u) => `  ${u}`).join('\n'),
      );
    }
  }

  /** Moves an unindexed RPM to UNINDEXED_DIR (keeping its part's path); returns where it went. */
  private async moveAside(rpm: string): Promise<string> {
    let dest = join(this.layout.root, UNINDEXED_DIR, rpm);
    await mkdir(dirname(dest), { recursive: true });
    for (let i = 1; await exists(dest); i++) dest = join(this.layout.root, UNINDEXED_DIR, `${rpm}.${i}`);
    await rename(this.path(rpm), dest);
    return dest;
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
