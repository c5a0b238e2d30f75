import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fileServer, type FileServer } from '../support/file-server.js';
import { MemoryReporter } from '../../src/reporting/reporter.js';
import { DiracosError } from '../../src/shared/errors.js';
import { nodeExec } from '../../src/shared/exec.js';
import { fetchSource } from '../../src/sources/fetch.js';

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const FILES: Record<string, Buffer> = {
  '/dist/hello-1.0.tar.gz': Buffer.from('pretend this is a tarball\n'.repeat(5000)),
  '/dist/other.txt': Buffer.from('other file\n'),
  '/dist/name%20with%20space.txt': Buffer.from('spaced\n'),
};
const HELLO = FILES['/dist/hello-1.0.tar.gz'];
const WRONG = '0'.repeat(64);

let server: FileServer;
let base: string;
let requests: string[] = [];
let scratch: string;
let reporter: MemoryReporter;
let ctx: { exec: typeof nodeExec; reporter: MemoryReporter; downloadCache: string };

/** Every file under dir, relative, recursively (folders included). */
async function listAll(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true })).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

beforeAll(async () => {
  server = await fileServer(FILES, (req, res) => {
    if (req.url === '/announced/x.tar.gz') return Boolean(res.writeHead(200, { 'content-length': String(5 * 1024 ** 3) }).write('x'));
    if (req.url === '/to-file/x.tar.gz') return Boolean(res.writeHead(302, { location: pathToFileURL(join(scratch, 'secret.tar.gz')).href }).end());
    return false;
  });
  base = server.base;
  requests = server.requests;
  scratch = await mkdtemp(join(tmpdir(), 'sources-url-'));
});

afterAll(async () => {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

beforeEach(async (test) => {
  requests.length = 0;
  reporter = new MemoryReporter();
  ctx = { exec: nodeExec, reporter, downloadCache: await mkdtemp(join(scratch, `${test.task.id}-`)) };
});

describe('url sources over http', () => {
  it('downloads into <cache>/sha256/<hex>/<fileName> and reports the verified file', async () => {
    const spec = { url: [`${base}/dist/hello-1.0.tar.gz`], sha256: sha(HELLO) };
    const got = await fetchSource(ctx, spec);
    expect(got).toEqual({
      path: join(ctx.downloadCache, 'sha256', sha(HELLO), 'hello-1.0.tar.gz'),
      fileName: 'hello-1.0.tar.gz',
      sha256: sha(HELLO),
      spec,
    });
    expect(Buffer.compare(await readFile(got.path), HELLO)).toBe(0);
    expect(requests).toEqual(['/dist/hello-1.0.tar.gz']);
    expect(await listAll(ctx.downloadCache)).toEqual(['sha256', `sha256/${sha(HELLO)}`, `sha256/${sha(HELLO)}/hello-1.0.tar.gz`]);
  });

  it('serves a second fetch from the cache without asking the server', async () => {
    const spec = { url: [`${base}/dist/hello-1.0.tar.gz`], sha256: sha(HELLO) };
    const first = await fetchSource(ctx, spec);
    const second = await fetchSource(ctx, spec);
    expect(second.path).toBe(first.path);
    expect(requests).toHaveLength(1);
  });

  it('fetches again when the cached file was corrupted, with a warning', async () => {
    const spec = { url: [`${base}/dist/hello-1.0.tar.gz`], sha256: sha(HELLO) };
    const first = await fetchSource(ctx, spec);
    await writeFile(first.path, 'tampered');
    const again = await fetchSource(ctx, spec);
    expect(Buffer.compare(await readFile(again.path), HELLO)).toBe(0);
    expect(requests).toHaveLength(2);
    expect(reporter.messages('warning').join('\n')).toMatch(/does not match its sha256/);
  });

  it('removes temp files left by dead processes, not those of a live one', async () => {
    const entry = join(ctx.downloadCache, 'sha256', sha(HELLO));
    await mkdir(entry, { recursive: true });
    const stale = '.tmp-999999999-0a0b0c0d-hello-1.0.tar.gz'; // above any pid_max: no such process
    const live = `.tmp-${process.pid}-0a0b0c0d-hello-1.0.tar.gz`;
    await writeFile(join(entry, stale), 'half a download');
    await writeFile(join(entry, live), 'being written');
    await fetchSource(ctx, { url: [`${base}/dist/hello-1.0.tar.gz`], sha256: sha(HELLO) });
    expect(await listAll(entry)).toEqual([live, 'hello-1.0.tar.gz']);
  });

  it('rejects a sha256 mismatch naming url, expected and actual hash, and keeps nothing', async () => {
    const url = `${base}/dist/hello-1.0.tar.gz`;
    const error = await fetchSource(ctx, { url: [url], sha256: WRONG }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiracosError);
    const message = (error as Error).message;
    expect(message).toContain(url);
    expect(message).toContain(`expected ${WRONG}`);
    expect(message).toContain(`got ${sha(HELLO)}`);
    expect(await listAll(join(ctx.downloadCache, 'sha256'))).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('keeps other files of an entry when a fetch into it fails', async () => {
    const good = await fetchSource(ctx, { url: [`${base}/dist/hello-1.0.tar.gz`], sha256: sha(HELLO) });
    // Same expected hash, different content under another name: must fail without touching the good file.
    await expect(fetchSource(ctx, { url: [`${base}/dist/other.txt`], sha256: sha(HELLO) })).rejects.toThrow(/sha256 mismatch/);
    expect(await listAll(join(ctx.downloadCache, 'sha256'))).toEqual([sha(HELLO), `${sha(HELLO)}/hello-1.0.tar.gz`]);
    expect(Buffer.compare(await readFile(good.path), HELLO)).toBe(0);
  });

  it('turns a 404 into a clear error and keeps nothing', async () => {
    const url = `${base}/dist/missing-2.0.tar.gz`;
    const error = await fetchSource(ctx, { url: [url], sha256: sha(HELLO) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiracosError);
    expect((error as Error).message).toMatch(new RegExp(`${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*HTTP 404`));
    expect(await listAll(join(ctx.downloadCache, 'sha256'))).toEqual([]);
  });

  it('names the url when the server cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const url = `http://127.0.0.1:${port}/x.tar.gz`;
    await expect(fetchSource(ctx, { url: [url], sha256: sha(HELLO) })).rejects.toThrow(new RegExp(`url ${url.replace(/[.]/g, '\\.')}: fetch failed`));
    expect(await listAll(join(ctx.downloadCache, 'sha256'))).toEqual([]);
  });

  it('stores under fileName when given, and decodes the url name otherwise', async () => {
    const renamed = await fetchSource(ctx, { url: [`${base}/dist/hello-1.0.tar.gz`], sha256: sha(HELLO), fileName: 'Hello.tgz' });
    expect(renamed.path).toBe(join(ctx.downloadCache, 'sha256', sha(HELLO), 'Hello.tgz'));
    const spaced = FILES['/dist/name%20with%20space.txt'];
    const decoded = await fetchSource(ctx, { url: [`${base}/dist/name%20with%20space.txt`], sha256: sha(spaced) });
    expect(decoded.fileName).toBe('name with space.txt');
  });

  it('refuses a body larger than a source may have, announced or not, and keeps nothing', async () => {
    const endless = await fetchSource({ ...ctx, maxDownloadBytes: 1024 * 1024 }, { url: [`${base}/endless/x.tar.gz`], sha256: sha(HELLO) }).catch((e: unknown) => e);
    expect((endless as Error).message).toBe(`url ${base}/endless/x.tar.gz: over 1048576 bytes came, more than the 1 MiB a source may have; refusing it`);
    // the default limit, told by the server up front: nothing is read
    const announced = await fetchSource(ctx, { url: [`${base}/announced/x.tar.gz`], sha256: sha(HELLO) }).catch((e: unknown) => e);
    expect((announced as Error).message).toBe(`url ${base}/announced/x.tar.gz: it announces ${5 * 1024 ** 3} bytes, more than the 4096 MiB a source may have; refusing it`);
    expect(await listAll(ctx.downloadCache)).toEqual([`sha256`]);
  });

  it('does not follow a redirect to a file:// url', async () => {
    await writeFile(join(scratch, 'secret.tar.gz'), HELLO);
    await expect(fetchSource(ctx, { url: [`${base}/to-file/x.tar.gz`], sha256: sha(HELLO) })).rejects.toThrow(/^url http:.*\/to-file\/x\.tar\.gz: fetch failed: URL scheme must be a HTTP\(S\) scheme$/);
    expect(await listAll(join(ctx.downloadCache, 'sha256'))).toEqual([]);
  });

  it('asks for a fileName when the url has no file name, before downloading', async () => {
    await expect(fetchSource(ctx, { url: [`${base}/dist/bad%E0%A4%A.tar.gz`], sha256: sha(HELLO) })).rejects.toThrow(
      /^source http:.*\/dist\/bad%E0%A4%A\.tar\.gz: no file name can be taken from its first url \(not a valid URL, or bad %-escapes in its last segment\); set fileName$/,
    );
    await expect(fetchSource(ctx, { url: [`${base}/`], sha256: sha(HELLO) })).rejects.toThrow(/not a usable file name; set fileName/);
    await expect(fetchSource(ctx, { url: [`${base}/dist/x`], sha256: sha(HELLO), fileName: '../x' })).rejects.toThrow(DiracosError);
    expect(requests).toEqual([]);
  });
});

describe('url sources with file://', () => {
  it('copies a local file into the cache, and verifies it', async () => {
    const local = join(scratch, `local-${Date.now()}.tar.gz`);
    await writeFile(local, HELLO);
    const url = pathToFileURL(local).href;
    const got = await fetchSource(ctx, { url: [url], sha256: sha(HELLO) });
    expect(got.path).toBe(join(ctx.downloadCache, 'sha256', sha(HELLO), got.fileName));
    expect(Buffer.compare(await readFile(got.path), HELLO)).toBe(0);

    const error = await fetchSource({ ...ctx, downloadCache: join(ctx.downloadCache, 'fresh') }, { url: [url], sha256: WRONG }).catch((e: unknown) => e);
    expect((error as Error).message).toContain(`${url}: sha256 mismatch: expected ${WRONG}, got ${sha(HELLO)}`);
    expect(await listAll(join(ctx.downloadCache, 'fresh', 'sha256'))).toEqual([]);
  });

  it('refuses a device or a FIFO without reading it', async () => {
    await expect(fetchSource(ctx, { url: ['file:///dev/zero'], sha256: sha(HELLO) })).rejects.toThrow(/^url file:\/\/\/dev\/zero: \/dev\/zero is not a regular file$/);
    const fifo = join(scratch, `fifo-${Date.now()}`);
    await nodeExec('mkfifo', [fifo]);
    await expect(fetchSource(ctx, { url: [pathToFileURL(fifo).href], fileName: 'x.tar.gz', sha256: sha(HELLO) })).rejects.toThrow(/is not a regular file$/);
    expect(await listAll(join(ctx.downloadCache, 'sha256'))).toEqual([]);
  });

  it('names a missing local file', async () => {
    const url = pathToFileURL(join(scratch, 'nope.tar.gz')).href;
    await expect(fetchSource(ctx, { url: [url], sha256: sha(HELLO) })).rejects.toThrow(new RegExp(`url ${url}: .*ENOENT`));
    expect(await listAll(join(ctx.downloadCache, 'sha256'))).toEqual([]);
  });
});
