import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryReporter } from '../../src/reporting/reporter.js';
import { DiracosError } from '../../src/shared/errors.js';
import { nodeExec, type Exec } from '../../src/shared/exec.js';
import { sha256File } from '../../src/shared/hash.js';
import { fetchSource, lockSource } from '../../src/sources/fetch.js';
import { readSystemRepositories, reposFromDeb822 } from '../../src/sources/debSources.js';

// The upstream tarball of Debian bookworm's zlib, pinned by hand (fetched once and hashed).
const ZLIB = {
  apt: 'zlib',
  version: '1:1.2.13.dfsg-1',
  sha256: '71feb7947e3c00ef125f83b79a4e529bde31171e5babe48b391f06758d1ab0a1',
};
const ZLIB_TARBALL = 'zlib_1.2.13.dfsg.orig.tar.bz2';
const SYSTEM_SOURCES = '/etc/apt/sources.list.d/debian.sources';

let dir: string;
const calls: string[][] = [];
/** The real exec, recording each command so the test can tell whether apt ran. */
const countingExec: Exec = (command, args, options) => {
  calls.push([command, ...args]);
  return nodeExec(command, args, options);
};
let ctx: { exec: Exec; reporter: MemoryReporter; downloadCache: string };
let systemSourcesBefore: string;

async function listAll(path: string): Promise<string[]> {
  try {
    return (await readdir(path, { recursive: true })).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sources-apt-'));
  ctx = { exec: countingExec, reporter: new MemoryReporter(), downloadCache: join(dir, 'cache') };
  systemSourcesBefore = await readFile(SYSTEM_SOURCES, 'utf8');
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('apt sources (real apt-get against the system mirror)', () => {
  it('fetches the orig tarball of a source package into the content-addressed cache', async () => {
    const got = await fetchSource(ctx, ZLIB);
    expect(got.fileName).toBe(ZLIB_TARBALL);
    expect(got.path).toBe(join(ctx.downloadCache, 'sha256', ZLIB.sha256, ZLIB_TARBALL));
    expect(await sha256File(got.path)).toBe(ZLIB.sha256);
    expect(got.debian).toEqual({ package: 'zlib', version: ZLIB.version });
    // The download folder is gone; only the verified tarball is kept (plus its hidden provenance marker).
    expect(await listAll(join(ctx.downloadCache, 'tmp'))).toEqual([]);
    expect((await readdir(join(ctx.downloadCache, 'sha256', ZLIB.sha256))).filter((n) => !n.startsWith('.'))).toEqual([ZLIB_TARBALL]);
    // One lazy `apt-get update`, then the download; both after our -o options.
    expect(calls.map((c) => [c[0], ...c.slice(c.indexOf('-q'))])).toEqual([
      ['apt-get', '-q', 'update'],
      ['apt-get', '-q', 'source', '--download-only', `zlib=${ZLIB.version}`],
    ]);
  });

  it('runs apt from its own configuration, with deb-src entries derived from the system, leaving the system alone', async () => {
    const args = calls[0];
    const option = (name: string) => args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
    expect(option('Dir::Etc::SourceParts')).toBe('-');
    const list = option('Dir::Etc::SourceList')!;
    expect(list.startsWith(join(ctx.downloadCache, 'apt'))).toBe(true);
    expect(option('Dir::State::Lists')!.startsWith(join(ctx.downloadCache, 'apt'))).toBe(true);
    const ours = reposFromDeb822(await readFile(list, 'utf8'));
    expect(await readFile(list, 'utf8')).toMatch(/^Types: deb-src$/m);
    expect(ours).toEqual(await readSystemRepositories([SYSTEM_SOURCES]));
    expect(await readFile(SYSTEM_SOURCES, 'utf8')).toBe(systemSourcesBefore);
  });

  it('serves a second fetch from the cache without running apt', async () => {
    const before = calls.length;
    const got = await fetchSource(ctx, ZLIB);
    expect(calls.length).toBe(before);
    expect(got.path).toBe(join(ctx.downloadCache, 'sha256', ZLIB.sha256, ZLIB_TARBALL));
    expect(got.debian).toEqual({ package: 'zlib', version: ZLIB.version });
  });

  it('rejects a wrong sha256 naming the package and both hashes, keeping nothing', async () => {
    const wrong = 'f'.repeat(64);
    const before = await listAll(ctx.downloadCache);
    const error = await fetchSource(ctx, { ...ZLIB, sha256: wrong }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiracosError);
    const message = (error as Error).message;
    expect(message).toContain(`apt source zlib=${ZLIB.version}`);
    expect(message).toContain(`expected ${wrong}, got ${ZLIB.sha256}`);
    expect(await listAll(join(ctx.downloadCache, 'sha256', wrong))).toEqual([]);
    expect(await listAll(join(ctx.downloadCache, 'tmp'))).toEqual([]);
    // Nothing new anywhere in the cache (apt's lists were refreshed in place, not added).
    expect((await listAll(ctx.downloadCache)).filter((p) => !p.includes('/lists/'))).toEqual(before.filter((p) => !p.includes('/lists/')));
    // apt-get update ran once for the whole process.
    expect(calls.filter((c) => c.includes('update'))).toHaveLength(1);
  });

  it('names an unknown source package and keeps nothing', async () => {
    const sha256 = 'e'.repeat(64);
    const error = await fetchSource(ctx, { apt: 'diracos-no-such-package', sha256 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiracosError);
    expect((error as Error).message).toMatch(/apt source diracos-no-such-package: apt-get source failed:\n.*Unable to find a source package for diracos-no-such-package/);
    expect(await listAll(join(ctx.downloadCache, 'sha256', sha256))).toEqual([]);
    expect(await listAll(join(ctx.downloadCache, 'tmp'))).toEqual([]);
  });

  it('is the way after the urls: a dead mirror, then the same bytes from Debian, stored under the url\'s name', async () => {
    const url = 'http://127.0.0.1:9/zlib-1.2.13.dfsg.tar.bz2';
    const got = await fetchSource(ctx, { url: [url], ...ZLIB });
    expect(got.fileName).toBe('zlib-1.2.13.dfsg.tar.bz2');
    expect(got.path).toBe(join(ctx.downloadCache, 'sha256', ZLIB.sha256, 'zlib-1.2.13.dfsg.tar.bz2'));
    expect(await sha256File(got.path)).toBe(ZLIB.sha256);
    expect(ctx.reporter.messages('warning').join('\n')).toContain(`source zlib-1.2.13.dfsg.tar.bz2: url ${url}: fetch failed`);
  });

  it('locks an apt source: the sha256 is what Debian\'s orig tarball has', async () => {
    const got = await lockSource(ctx, { apt: ZLIB.apt, version: ZLIB.version });
    expect(got.sha256).toBe(ZLIB.sha256);
    expect(got.fileName).toBe(ZLIB_TARBALL);
    expect(await listAll(join(ctx.downloadCache, 'tmp'))).toEqual([]);
  });
});
