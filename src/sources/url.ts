import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fileURLToPath } from 'node:url';
import { DiracosError } from '../shared/errors.js';
import { checkFileName, commit, lookup } from './store.js';
import type { SourceContext } from './types.js';

/**
 * The most bytes one source may have. Source tarballs and RPMs are megabytes to a few hundred; a body
 * that goes on past this (an endless or hostile server, file:///dev/zero) would fill the runner's disk.
 */
export const MAX_DOWNLOAD_BYTES = 4 * 1024 ** 3;

/** How each URL scheme is copied into a temp file, at most `limit` bytes. */
const TRANSPORTS: Readonly<Record<string, (url: URL, dest: string, limit: number) => Promise<void>>> = {
  'http:': download,
  'https:': download,
  'file:': copyLocal,
};

/** The name a URL's file is stored under: the last path segment, decoded. */
export function urlFileName(url: URL): string {
  return decodeURIComponent(basename(url.pathname));
}

/**
 * Downloads one url into the download cache under `fileName`, checked against `sha256` (or, when there
 * is none yet, stored under the sha256 it has: locking). A verified copy already there is used as it is.
 */
export async function fetchUrl(ctx: SourceContext, href: string, sha256: string | undefined, fileName: string): Promise<{ path: string; sha256: string }> {
  const { downloadCache, reporter } = ctx;
  const what = `url ${href}`;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    throw new DiracosError(`${what}: not a valid URL`);
  }
  const transport = TRANSPORTS[url.protocol];
  if (!transport) throw new DiracosError(`${what}: unsupported scheme '${url.protocol}' (use http, https or file)`);
  checkFileName(fileName, what);
  const cached = sha256 && (await lookup(downloadCache, sha256, fileName, reporter));
  if (cached) {
    reporter.debug(`${fileName}: in the download cache`);
    return { path: cached, sha256: sha256! };
  }
  reporter.info(`downloading ${href}`);
  const limit = ctx.maxDownloadBytes ?? MAX_DOWNLOAD_BYTES;
  return commit(downloadCache, sha256, fileName, what, (temp) => transport(url, temp, limit).catch((e) => {
    throw e instanceof DiracosError ? e : new DiracosError(`${what}: ${describe(e)}`);
  }));
}

// fetch() follows redirects to http(s) only: one to file:// or elsewhere fails, it is never read.
async function download(url: URL, dest: string, limit: number): Promise<void> {
  const response = await fetch(url, { redirect: 'follow' });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new DiracosError(`url ${url.href}: HTTP ${response.status} ${response.statusText}`.trimEnd());
  }
  const announced = Number(response.headers.get('content-length') ?? 0);
  if (announced > limit) {
    await response.body.cancel();
    throw tooBig(url, `it announces ${announced} bytes`, limit);
  }
  await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), atMost(url, limit), createWriteStream(dest));
}

async function copyLocal(url: URL, dest: string, limit: number): Promise<void> {
  const path = fileURLToPath(url);
  // A device or FIFO has no end (or blocks the open): only regular files are sources.
  if (!(await stat(path)).isFile()) throw new DiracosError(`url ${url.href}: ${path} is not a regular file`);
  await pipeline(createReadStream(path), atMost(url, limit), createWriteStream(dest));
}

/** Passes bytes through until more than `limit` came, then fails the copy (whose temp file is removed). */
function atMost(url: URL, limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > limit ? tooBig(url, `over ${limit} bytes came`, limit) : null, chunk);
    },
  });
}

const tooBig = (url: URL, what: string, limit: number) =>
  new DiracosError(`url ${url.href}: ${what}, more than the ${limit / 1024 / 1024} MiB a source may have; refusing it`);

/** fetch() hides the reason (DNS, refused, reset) in `cause`. */
function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  return cause instanceof Error ? `${e.message}: ${cause.message}` : e.message;
}
