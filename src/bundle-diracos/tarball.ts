/**
 * The reproducible bundle tarball, made by GNU tar: `diracos-<version>-<arch>.tar.gz|.tar.zst` with
 * one top directory, entries sorted by name, every mtime set to the given epoch (not clamped: a
 * touched file must not change the result), owner and group 0, POSIX format without atime/ctime,
 * and a compressor that writes no timestamp of its own. Then .sha256 and .md5 files in the
 * `sha256sum`/`md5sum` format. Everything is written to temp names and renamed at the end.
 * The compressor writes into a FIFO that this process reads, hashes and writes to the file: one pass
 * over the bytes, the hashing overlapped with the compression, instead of re-reading the tarball.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { basename, join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { systemFailure } from '../rules/system-errors.js';
import { tarballName, topDirectory, type BundleNaming, type Compression } from '../shared/bundle-names.js';
import type { Exec } from '../shared/exec.js';

/** Compressor command line per compression (names and extensions: shared/bundle-names.ts). */
export const COMPRESSORS: Readonly<Record<Compression, { command: (jobs: number) => string }>> = {
  // pigz -n: no name and no timestamp in the gzip header, so equal input gives equal bytes. Level 6
  // (gzip's default): -9 costs about twice the time for ~1% of size on a bundle.
  gzip: { command: (jobs) => `pigz -n -6 -p ${jobs}` },
  // zstd output does not depend on the thread count; no timestamps in the frame.
  zstd: { command: (jobs) => `zstd -q -19 -T${jobs}` },
};

export interface TarballOptions extends BundleNaming {
  /** SOURCE_DATE_EPOCH: every entry's mtime. */
  epoch: number;
  compression?: Compression;
  jobs?: number;
}

export interface Tarball {
  path: string;
  sha256: string;
  md5: string;
}

/**
 * Reads the FIFO `fifo` into the file `to`, taking both digests on the way, until `writer` settles.
 * The FIFO is opened without blocking, read through the event loop (a pipe handle, not the thread
 * pool), and held open for writing here as well, so end-of-file comes only once `writer` is done,
 * whether or not it ever opened the FIFO.
 */
async function drainWithDigests<T>(fifo: string, to: string, writer: () => Promise<T>): Promise<{ sha256: string; md5: string }> {
  const sha = createHash('sha256');
  const md5 = createHash('md5');
  const out = openSync(to, 'w');
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      try {
        sha.update(chunk);
        md5.update(chunk);
        for (let at = 0; at < chunk.length; ) at += writeSync(out, chunk, at);
        done();
      } catch (e) {
        done(e as Error);
      }
    },
  });
  const readEnd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const holdOpen = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  try {
    const copied = pipeline(new Socket({ fd: readEnd, readable: true, writable: false }), sink);
    const written = writer().finally(() => closeSync(holdOpen));
    const [writing, copying] = await Promise.allSettled([written, copied]);
    // A failed copy (a full disk) breaks the pipe, so its error says more than the writer's.
    if (copying.status === 'rejected') throw copying.reason;
    if (writing.status === 'rejected') throw writing.reason;
    return { sha256: sha.digest('hex'), md5: md5.digest('hex') };
  } finally {
    closeSync(out);
  }
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
  const fifo = `${tmp}.fifo`;
  const script = `set -o pipefail; tar "$@" | ${COMPRESSORS[o.compression ?? 'gzip'].command(o.jobs ?? 1)} > "$0"`;
  try {
    await exec('mkfifo', [fifo]);
    const sums = await drainWithDigests(fifo, tmp, () => exec('bash', ['-c', script, fifo, ...tarArgs], { env: { ...process.env, LC_ALL: 'C' } }));
    writeFileSync(`${tmp}.sha256`, `${sums.sha256}  ${basename(path)}\n`);
    writeFileSync(`${tmp}.md5`, `${sums.md5}  ${basename(path)}\n`);
    // The tarball last: its presence means the checksums are there too.
    renameSync(`${tmp}.sha256`, `${path}.sha256`);
    renameSync(`${tmp}.md5`, `${path}.md5`);
    renameSync(tmp, path);
    return { path, ...sums };
  } catch (e) {
    // A full disk or a quota: one clear line naming the file, not a stack trace.
    throw systemFailure(e, `writing the tarball ${path}`) ?? e;
  } finally {
    for (const f of [tmp, fifo, `${tmp}.sha256`, `${tmp}.md5`]) rmSync(f, { force: true });
  }
}
