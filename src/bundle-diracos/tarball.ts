/**
 * The reproducible bundle tarball, made by GNU tar: `diracos-<version>-<arch>.tar.gz|.tar.zst` with
 * one top directory, entries sorted by name, every mtime set to the given epoch (not clamped: a
 * touched file must not change the result), owner and group 0, POSIX format without atime/ctime,
 * and a compressor that writes no timestamp of its own. Then .sha256 and .md5 files in the
 * `sha256sum`/`md5sum` format. Everything is written to temp names and renamed at the end.
 */
import { createHash } from 'node:crypto';
import { createReadStream, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Exec } from '../shared/exec.js';

export type Compression = 'gzip' | 'zstd';

/** Extension and compressor command line per compression (`{jobs}` = parallel jobs). */
export const COMPRESSORS: Readonly<Record<Compression, { ext: string; command: (jobs: number) => string }>> = {
  // pigz -n: no name and no timestamp in the gzip header, so equal input gives equal bytes. Level 6
  // (gzip's default): -9 costs about twice the time for ~1% of size on a bundle.
  gzip: { ext: 'tar.gz', command: (jobs) => `pigz -n -6 -p ${jobs}` },
  // zstd output does not depend on the thread count; no timestamps in the frame.
  zstd: { ext: 'tar.zst', command: (jobs) => `zstd -q -19 -T${jobs}` },
};

export interface TarballOptions {
  version: string;
  arch: string;
  /** SOURCE_DATE_EPOCH: every entry's mtime. */
  epoch: number;
  compression?: Compression;
  jobs?: number;
  /** Prepended to the file name and the top directory (extensions: `<name>diracos-...`). */
  prefix?: string;
}

export interface Tarball {
  path: string;
  sha256: string;
  md5: string;
}

export function tarballName(o: Pick<TarballOptions, 'version' | 'arch' | 'compression' | 'prefix'>): string {
  return `${topDirectory(o)}.${COMPRESSORS[o.compression ?? 'gzip'].ext}`;
}

/** The one top directory of the tarball. */
export function topDirectory(o: Pick<TarballOptions, 'version' | 'arch' | 'prefix'>): string {
  return `${o.prefix ?? ''}diracos-${o.version}-${o.arch}`;
}

async function digests(path: string): Promise<{ sha256: string; md5: string }> {
  const sha = createHash('sha256');
  const md5 = createHash('md5');
  for await (const chunk of createReadStream(path)) {
    sha.update(chunk as Buffer);
    md5.update(chunk as Buffer);
  }
  return { sha256: sha.digest('hex'), md5: md5.digest('hex') };
}

/** Packs `bundle` (its contents, under the top directory `diracos-<version>-<arch>`) into `outDir`. */
export async function makeTarball(exec: Exec, bundle: string, outDir: string, o: TarballOptions): Promise<Tarball> {
  const name = tarballName(o);
  const top = topDirectory(o);
  const path = join(outDir, name);
  const tmp = `${path}.tmp-${process.pid}`;
  const tarArgs = [
    '--create',
    '--file=-',
    `--directory=${bundle}`,
    '--sort=name',
    `--mtime=@${o.epoch}`,
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '--format=posix',
    '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime',
    // ./x -> <top>/x for member names only (S: symlink targets stay as they are).
    `--transform=s,^\\.,${top},S`,
    '.',
  ];
  const script = `set -o pipefail; tar "$@" | ${COMPRESSORS[o.compression ?? 'gzip'].command(o.jobs ?? 1)} > "$0"`;
  try {
    await exec('bash', ['-c', script, tmp, ...tarArgs], { env: { ...process.env, LC_ALL: 'C' } });
    const sums = await digests(tmp);
    writeFileSync(`${tmp}.sha256`, `${sums.sha256}  ${basename(path)}\n`);
    writeFileSync(`${tmp}.md5`, `${sums.md5}  ${basename(path)}\n`);
    // The tarball last: its presence means the checksums are there too.
    renameSync(`${tmp}.sha256`, `${path}.sha256`);
    renameSync(`${tmp}.md5`, `${path}.md5`);
    renameSync(tmp, path);
    return { path, ...sums };
  } finally {
    for (const f of [tmp, `${tmp}.sha256`, `${tmp}.md5`]) rmSync(f, { force: true });
  }
}
