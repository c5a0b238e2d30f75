/**
 * The reproducible bundle tarball, made by GNU tar: `diracos-<version>-<arch>.tar.gz|.tar.zst` with
 * one top directory, entries sorted by name, every mtime set to the given epoch (not clamped: a
 * touched file must not change the result), owner and group 0, POSIX format without atime/ctime,
 * and a compressor that writes no timestamp of its own. Then .sha256 and .md5 files in the
 * `sha256sum`/`md5sum` format. Everything is written to temp names and renamed at the end.
 * The compressor writes into a FIFO that a worker thread of this process reads, hashes and writes to
 * the file: one pass over the bytes, the hashing overlapped with the compression, instead of
 * re-reading the tarball.
 */
import { closeSync, constants, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';
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
 * The drain, run in a worker thread: blocking reads of the FIFO into one reused buffer, both digests,
 * blocking writes to the (already open) file. Off the event loop and without a Buffer per chunk:
 * reading through a stream cost up to 1.5 CPU seconds more per GB written, in garbage collection and
 * callbacks. Plain CommonJS source, so it runs the same from src/ and from a bundle in dist/. Posts
 * 'open' once it holds the FIFO, then the digests or the failure (code, syscall and path kept: a full
 * disk must stay one clear line). Its read end is closed whatever happens, so a writer still writing
 * gets EPIPE instead of blocking forever.
 */
const DRAIN_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, openSync, readSync, writeSync } = require('node:fs');
const { createHash } = require('node:crypto');
let fd;
try {
  fd = openSync(workerData.fifo, 'r');
  parentPort.postMessage({ open: true });
  const sha = createHash('sha256');
  const md5 = createHash('md5');
  const buf = Buffer.allocUnsafe(1 << 20);
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    const chunk = buf.subarray(0, n);
    sha.update(chunk);
    md5.update(chunk);
    for (let at = 0; at < n; ) at += writeSync(workerData.out, chunk, at, n - at);
  }
  parentPort.postMessage({ sha256: sha.digest('hex'), md5: md5.digest('hex') });
} catch (e) {
  parentPort.postMessage({ error: { message: e.message, code: e.code, syscall: e.syscall, path: e.path } });
} finally {
  if (fd !== undefined) closeSync(fd);
}
`;

interface DrainMessage {
  open?: true;
  sha256?: string;
  md5?: string;
  error?: { message: string; code?: string; syscall?: string; path?: string };
}

/**
 * Reads the FIFO `fifo` into the file `to`, taking both digests on the way (in a worker thread), until
 * `writer` settles. The FIFO is held open for writing here too, so end-of-file comes only once `writer`
 * is done, whether or not it ever opened the FIFO. `writer` starts only once the worker reads: a writer
 * with no reader would wait for one forever.
 */
async function drainWithDigests<T>(fifo: string, to: string, writer: () => Promise<T>): Promise<{ sha256: string; md5: string }> {
  const open = new Set<number>();
  const close = (fd: number) => {
    if (open.delete(fd)) closeSync(fd);
  };
  let exited: Promise<void> | undefined;
  let out: number | undefined;
  try {
    out = openSync(to, 'w');
    open.add(out);
    // A reader first (without blocking), so that the writing end opens without blocking either, and
    // the worker's blocking read end then at once.
    const readEnd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    open.add(readEnd);
    const holdOpen = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    open.add(holdOpen);
    const worker = new Worker(DRAIN_WORKER, { eval: true, workerData: { fifo, out } });
    exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    let opened!: () => void;
    const reading = new Promise<void>((resolve) => (opened = resolve));
    const copied = new Promise<{ sha256: string; md5: string }>((resolve, reject) => {
      worker.on('message', (m: DrainMessage) => {
        if (m.open) opened();
        else if (m.error) reject(Object.assign(new Error(m.error.message), m.error));
        else resolve({ sha256: m.sha256!, md5: m.md5! });
      });
      worker.once('error', reject);
      void exited!.then(() => reject(new Error('the tarball drain ended without a result')));
    });
    await Promise.race([reading, copied]);
    close(readEnd);
    const written = writer().finally(() => close(holdOpen));
    const [writing, copying] = await Promise.allSettled([written, copied]);
    // A failed copy (a full disk) breaks the pipe, so its error says more than the writer's.
    if (copying.status === 'rejected') throw copying.reason;
    if (writing.status === 'rejected') throw writing.reason;
    return copying.value;
  } finally {
    // The file last: the worker may write to it until it exits.
    for (const fd of open) if (fd !== out) close(fd);
    await exited;
    for (const fd of open) close(fd);
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
