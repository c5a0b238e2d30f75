import { copyFile, mkdir, mkdtemp, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { Exec } from '../shared/exec.js';
import { readIndex, writeIndex, type IndexEntry, type RepoIndex } from './index-file.js';
import { REPO_PARTS, REPO_TEMP_PREFIX, repoLayout, type RepoLayout, type RepoPart } from './layout.js';

/** gz metadata: readable by every yum/dnf down to EL7 (newer createrepo_c defaults to zstd). */
const CREATEREPO_ARGS = ['--update', '--general-compress-type=gz', '--quiet'];

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

  /** Puts a package's RPMs in (replacing its previous ones) and records its key. Calls are serialized. */
  add(name: string, key: string, files: readonly RepoFile[], buildOnly: boolean): Promise<IndexEntry> {
    const run = this.queue.then(() => this.addNow(name, key, files, buildOnly));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async addNow(name: string, key: string, files: readonly RepoFile[], buildOnly: boolean): Promise<IndexEntry> {
    const { layout } = this;
    const tmp = await mkdtemp(join(layout.root, REPO_TEMP_PREFIX));
    const placed: string[] = [];
    const parts = new Set<RepoPart>();
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
    const old = this.index.packages[name];
    for (const rpm of old?.rpms ?? []) {
      if (placed.includes(rpm)) continue;
      await unlink(this.path(rpm)).catch(ignoreMissing);
      parts.add(this.partOf(rpm));
    }
    await Promise.all([...parts].map((part) => this.createrepo(part)));
    const entry: IndexEntry = { key, rpms: placed.sort(), buildOnly };
    this.index = { version: 1, packages: { ...this.index.packages, [name]: entry } };
    await writeIndex(layout.index, this.index);
    return entry;
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
    for (const part of REPO_PARTS) {
      const dir = layout[part];
      // createrepo_c's own temp folder, left by a killed createrepo_c, makes the next one refuse to run.
      await rm(join(dir, '.repodata'), { recursive: true, force: true });
      for (const file of await readdir(dir)) {
        if (file.endsWith('.rpm') && !owned.has(relative(layout.root, join(dir, file)))) await unlink(join(dir, file));
      }
    }
    // Always: a run killed between a rename and createrepo_c left metadata behind its files.
    await Promise.all(REPO_PARTS.map((part) => this.createrepo(part)));
    if (Object.keys(packages).length !== Object.keys(this.index.packages).length) {
      this.index = { version: 1, packages };
      await writeIndex(layout.index, this.index);
    }
  }

  private partOf(rpm: string): RepoPart {
    const dir = join(this.layout.root, rpm, '..');
    return REPO_PARTS.find((p) => this.layout[p] === dir) ?? 'binary';
  }

  private async createrepo(part: RepoPart): Promise<void> {
    await this.exec('createrepo_c', [...CREATEREPO_ARGS, this.layout[part]]);
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
