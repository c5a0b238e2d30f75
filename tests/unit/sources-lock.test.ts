import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadManifest } from '../../src/manifest/load.js';
import { MemoryReporter } from '../../src/reporting/reporter.js';
import { DiracosError } from '../../src/shared/errors.js';
import { nodeExec } from '../../src/shared/exec.js';
import { fetchSource } from '../../src/sources/fetch.js';
import { insertDigests, lockManifest } from '../../src/sources/lock.js';

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const FILES: Record<string, Buffer> = {
  '/a-1.0.tar.gz': Buffer.from('upstream a\n'.repeat(1000)),
  '/b-2.0.src.rpm': Buffer.from('pretend SRPM b\n'),
  '/py/Python-3.11.2.tgz': Buffer.from('pretend CPython\n'),
};
const A = FILES['/a-1.0.tar.gz']!;

let server: Server;
let base: string;
const requests: string[] = [];
let root: string;
let dir: string;
let ctx: { exec: typeof nodeExec; reporter: MemoryReporter; downloadCache: string };

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = FILES[req.url ?? ''];
    if (!body) res.writeHead(404, 'Not Found').end('no');
    else res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  root = mkdtempSync(join(tmpdir(), 'sources-lock-'));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});
beforeEach((test) => {
  requests.length = 0;
  dir = mkdtempSync(join(root, `${test.task.id}-`));
  ctx = { exec: nodeExec, reporter: new MemoryReporter(), downloadCache: join(dir, 'cache') };
});

/** A manifest in the styles people write: comments everywhere, flow and block sources, mirrors, an anchor. */
function manifest(): string {
  return [
    '# The example: every comment and blank line must survive locking.',
    'version: "1.0"   # quoted on purpose',
    'repository: repo',
    'python:',
    '  version: "3.11.2"',
    `  source: { url: "${base}/py/Python-3.11.2.tgz" }  # CPython, flow style`,
    'build:',
    '  platform: deb',
    '  packageGroups:',
    '    - name: g',
    '      packages:',
    '        - name: a',
    '          tarball:',
    '            # a dead mirror first: the second gives the bytes',
    '            url:',
    `              - ${base}/gone/a-1.0.tar.gz`,
    `              - ${base}/a-1.0.tar.gz`,
    '            fileName: a-1.0.tar.gz   # the name specs use',
    '',
    '        - name: b',
    `          srpm: &bsrc {url: '${base}/b-2.0.src.rpm',}`,
    '        - name: b2',
    '          srpm: *bsrc',
    '        - name: c',
    `          tarball: { url: "${base}/a-1.0.tar.gz", sha256: ${sha(A)} }`,
    'platforms: [{ name: deb, image: img, family: debian }]',
    '',
  ].join('\n');
}

describe('diracos lock', () => {
  it('writes the sha256 of every source without one, changing nothing else of the file', async () => {
    const file = join(dir, 'diracos.yaml');
    const before = manifest();
    writeFileSync(file, before);
    chmodSync(file, 0o640);
    const r = await lockManifest(ctx, file);
    expect(r.written).toBe(true);
    expect(r.sources.map((s) => [s.where, s.sha256])).toEqual([
      ['python.source', sha(FILES['/py/Python-3.11.2.tgz']!)],
      ['build.packageGroups[0].packages[0].tarball', sha(A)],
      ['build.packageGroups[0].packages[1].srpm', sha(FILES['/b-2.0.src.rpm']!)],
      // the alias names the anchored mapping: one digest for both
      ['build.packageGroups[0].packages[2].srpm', sha(FILES['/b-2.0.src.rpm']!)],
    ]);
    const after = readFileSync(file, 'utf8');
    // Exactly three insertions, each in the style of its mapping; every other byte as it was.
    const expected = before
      .replace('Python-3.11.2.tgz" }', `Python-3.11.2.tgz", sha256: ${sha(FILES['/py/Python-3.11.2.tgz']!)} }`)
      .replace("fileName: a-1.0.tar.gz   # the name specs use\n", `fileName: a-1.0.tar.gz   # the name specs use\n            sha256: ${sha(A)}\n`)
      .replace("b-2.0.src.rpm',}", `b-2.0.src.rpm', sha256: ${sha(FILES['/b-2.0.src.rpm']!)}}`);
    expect(after).toBe(expected);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir).filter((n) => n.includes('diracos.yaml'))).toEqual(['diracos.yaml']);
    // The result is a locked manifest, and the builds find the files in the same download cache.
    const m = loadManifest(file);
    expect(m.warnings?.filter((w) => w.message.includes('not locked'))).toEqual([]);
    requests.length = 0;
    const got = await fetchSource(ctx, m.packages.find((p) => p.name === 'a')!.tarball!);
    expect(got.fileName).toBe('a-1.0.tar.gz');
    expect(requests).toEqual([]);
    // Locking again: nothing to do, nothing written.
    expect((await lockManifest(ctx, file)).written).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(expected);
  });

  it('tries the mirrors in order, saying which failed', async () => {
    const file = join(dir, 'diracos.yaml');
    writeFileSync(file, manifest());
    await lockManifest(ctx, file);
    expect(requests.filter((u) => u.includes('a-1.0'))).toEqual(['/gone/a-1.0.tar.gz', '/a-1.0.tar.gz']);
    expect(ctx.reporter.messages('warning').join('\n')).toMatch(/source a-1\.0\.tar\.gz: url http:\/\/127\.0\.0\.1:\d+\/gone\/a-1\.0\.tar\.gz: HTTP 404 Not Found; trying the next way/);
  });

  it('--check lists what is not locked and fails, downloading and writing nothing', async () => {
    const file = join(dir, 'diracos.yaml');
    writeFileSync(file, manifest());
    const out = new PassThrough();
    const err = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    err.on('data', (c: Buffer) => chunks.push(c.toString()));
    const code = await main(['lock', '--check', '-m', file, '--cache-dir', join(dir, 'c')], { out: out as never, err: err as never });
    expect(code).toBe(3);
    const text = chunks.join('');
    expect(text).toContain('build.packageGroups[0].packages[0].tarball');
    expect(text).toMatch(/4 source\(s\) have no sha256; run `diracos lock`/);
    expect(requests).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe(manifest());
  });

  it('leaves the manifest as it was when a source cannot be had, naming each and every way tried', async () => {
    const file = join(dir, 'diracos.yaml');
    const text = manifest().replace(`${base}/b-2.0.src.rpm`, `${base}/missing/b-2.0.src.rpm`);
    writeFileSync(file, text);
    const error = await lockManifest(ctx, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiracosError);
    expect((error as Error).message).toMatch(/2 of 4 source\(s\) could not be downloaded; the manifest is unchanged/);
    expect((error as Error).message).toMatch(/build\.packageGroups\[0\]\.packages\[1\]\.srpm: url http:\/\/127\.0\.0\.1:\d+\/missing\/b-2\.0\.src\.rpm: HTTP 404/);
    expect((error as Error).message).toMatch(/build\.packageGroups\[0\]\.packages\[2\]\.srpm: url .*HTTP 404/);
    expect(requests.filter((u) => u.includes('b-2.0'))).toEqual(['/missing/b-2.0.src.rpm']);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(readdirSync(dir).filter((n) => n.includes('diracos.yaml'))).toEqual(['diracos.yaml']);
  });

  it('refuses to fetch a source that is not locked, and names every way when all fail', async () => {
    await expect(fetchSource(ctx, { url: [`${base}/a-1.0.tar.gz`] })).rejects.toThrow(/source a-1\.0\.tar\.gz: not locked: it has no sha256 yet; run `diracos lock`/);
    expect(requests).toEqual([]);
    const gone = pathToFileURL(join(dir, 'nowhere', 'a-1.0.tar.gz')).href;
    const error = await fetchSource(ctx, { url: [`${base}/gone/a-1.0.tar.gz`, gone], sha256: sha(A) }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^source a-1\.0\.tar\.gz: none of its 2 ways gave the file:\n {2}- url http:.*HTTP 404 Not Found\n {2}- url file:.*ENOENT/);
    // a mirror serving other bytes is one more failed way, not a stored file
    const wrong = await fetchSource(ctx, { url: [`${base}/b-2.0.src.rpm`, `${base}/a-1.0.tar.gz`], sha256: sha(A), fileName: 'a-1.0.tar.gz' });
    expect(readFileSync(wrong.path).equals(A)).toBe(true);
  });

  it('edits a symlinked manifest where it lives, keeping the link, and keeps CRLF line ends', async () => {
    const real = join(dir, 'real.yaml');
    const crlf = manifest().replaceAll('\n', '\r\n');
    writeFileSync(real, crlf);
    const link = join(dir, 'diracos.yaml');
    symlinkSync('real.yaml', link);
    await lockManifest(ctx, link);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    const after = readFileSync(real, 'utf8');
    expect(after.replaceAll('\r\n', '')).not.toContain('\n');
    expect(after).toContain(`# the name specs use\r\n            sha256: ${sha(A)}\r\n`);
    expect(loadManifest(link).warnings?.filter((w) => w.message.includes('not locked'))).toEqual([]);
  });

  it('inserts into block mappings at their own indentation, also after nested lists and comments', () => {
    const text = ['x:', '  - url:', '      - http://h/a.tgz', '      - http://h/b.tgz', '    # trailing comment', 'y: 1', ''].join('\n');
    const out = insertDigests(text, [{ path: ['x', 0], where: 'x[0]', sha256: 'f'.repeat(64) }]);
    expect(out).toBe(['x:', '  - url:', '      - http://h/a.tgz', '      - http://h/b.tgz', `    sha256: ${'f'.repeat(64)}`, '    # trailing comment', 'y: 1', ''].join('\n'));
    const flow = insertDigests('s: {\n  url: a,\n  apt: b\n}\n', [{ path: ['s'], where: 's', sha256: 'e'.repeat(64) }]);
    expect(flow).toBe(`s: {\n  url: a,\n  apt: b, sha256: ${'e'.repeat(64)}\n}\n`);
  });
});
