import { createReadStream, createWriteStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fileURLToPath } from 'node:url';
import { DiracosError } from '../shared/errors.js';
import { checkFileName, commit, lookup } from './store.js';
import type { SourceContext } from './types.js';

/** How each URL scheme is copied into a temp file. */
const TRANSPORTS: Readonly<Record<string, (url: URL, dest: string) => Promise<void>>> = {
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
  return commit(downloadCache, sha256, fileName, what, (temp) => transport(url, temp).catch((e) => {
    throw e instanceof DiracosError ? e : new DiracosError(`${what}: ${describe(e)}`);
  }));
}

async function download(url: URL, dest: string): Promise<void> {
  const response = await fetch(url, { redirect: 'follow' });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new DiracosError(`url ${url.href}: HTTP ${response.status} ${response.statusText}`.trimEnd());
  }
  await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(dest));
}

async function copyLocal(url: URL, dest: string): Promise<void> {
  await pipeline(createReadStream(fileURLToPath(url)), createWriteStream(dest));
}

/** fetch() hides the reason (DNS, refused, reset) in `cause`. */
function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  return cause instanceof Error ? `${e.message}: ${cause.message}` : e.message;
}
