import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fileServer, type FileServer } from '../support/file-server.js';
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

let server: FileServer;
let base: string;
let requests: string[] = [];
/** /held/ answers only once the test lets it (a download that takes a while). */
let release: () => void = () => undefined;
let held = new Promise<void>((resolve) => (release = resolve));
let root: string;
let dir: string;
let ctx: { exec: typeof nodeExec; reporter: MemoryReporter; downloadCache: string };

beforeAll(async () => {
  server = await fileServer(FILES, (req, res) => {
    if (!req.url?.startsWith('/held/')) return false;
    void held.then(() => res.writeHead(200).end('held\n'));
    return true;
  });
  base = server.base;
  requests = server.requests;
  root = mkdtempSync(join(tmpdir(), 'sources-lock-'));
});
afterAll(async () => {
  await server.close();
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
    // which package, which file, where in the manifest
    expect(text).toMatch(/^a +source a-1\.0\.tar\.gz +build\.packageGroups\[0\]\.packages\[0\]\.tarball +not locked$/m);
    expect(text).toMatch(/^python +source Python-3\.11\.2\.tgz +python\.source +not locked$/m);
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

  it('reaches a source through a merge key, keeps a byte order mark and writes into a multi-line flow mapping before its comment', async () => {
    const file = join(dir, 'diracos.yaml');
    const text = manifest()
      // package b2 gets its srpm from b through `<<:`, not through an alias of the srpm itself
      .replace("        - name: b\n", '        - &pkgb\n          name: b\n')
      .replace('        - name: b2\n          srpm: *bsrc\n', '        - <<: *pkgb\n          name: b2\n')
      .replace('    - name: g\n', `    - name: g2\n      packages:\n        - name: d\n          tarball: {\n            url: "${base}/a-1.0.tar.gz",\n            fileName: d.tgz   # a comment in the braces }\n          }\n    - name: g\n`);
    writeFileSync(file, `\uFEFF${text}`);
    const r = await lockManifest(ctx, file);
    expect(r.sources.map((s) => s.where)).toContain('build.packageGroups[1].packages[2].srpm');
    const after = readFileSync(file, 'utf8');
    expect(after.startsWith('\uFEFF')).toBe(true);
    // the merged mapping is package b's: its srpm got the one line, b2 none of its own
    expect(after).toContain(`srpm: &bsrc {url: '${base}/b-2.0.src.rpm', sha256: ${sha(FILES['/b-2.0.src.rpm']!)}}`);
    expect(after).toContain('        - <<: *pkgb\n          name: b2\n');
    expect(after).toContain(`fileName: d.tgz, sha256: ${sha(A)}   # a comment in the braces }\n          }\n`);
    expect(loadManifest(file).warnings?.filter((w) => w.message.includes('not locked'))).toEqual([]);
  });

  it('gives the digests to write by hand when the text cannot take them, and leaves the file as it was', async () => {
    const file = join(dir, 'diracos.yaml');
    // an explicit key (`? url`): the inserted line would not be YAML
    const text = manifest().replace('          tarball: { url: "', '          tarball:\n            ? url\n            : "').replace(`a-1.0.tar.gz", sha256: ${sha(A)} }`, 'a-1.0.tar.gz"');
    writeFileSync(file, text);
    const error = await lockManifest(ctx, file).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/the digests could not be written into the text \(line \d+: YAML: .*\); the manifest is unchanged; write them by hand:\n/);
    expect((error as Error).message).toContain(`\n  build.packageGroups[0].packages[3].tarball: sha256: ${sha(A)}`);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(readdirSync(dir).filter((n) => n.includes('diracos.yaml'))).toEqual(['diracos.yaml']);
  });

  it('does not overwrite an edit made while the sources were downloaded', async () => {
    const file = join(dir, 'diracos.yaml');
    writeFileSync(file, manifest().replace(`${base}/b-2.0.src.rpm`, `${base}/held/b-2.0.src.rpm`));
    held = new Promise<void>((resolve) => (release = resolve));
    const locking = lockManifest(ctx, file).catch((e: unknown) => e);
    while (!requests.includes('/held/b-2.0.src.rpm')) await new Promise((r) => setTimeout(r, 20));
    appendFileSync(file, '# edited meanwhile\n');
    const edited = readFileSync(file, 'utf8');
    release();
    expect(((await locking) as Error).message).toMatch(/the manifest changed while its sources were downloaded; it is left as it is now: run `diracos lock` again/);
    expect(readFileSync(file, 'utf8')).toBe(edited);
    expect(readdirSync(dir).filter((n) => n.includes('diracos.yaml'))).toEqual(['diracos.yaml']);
  });

  it('indents each failure of a source with several ways under it', async () => {
    const file = join(dir, 'diracos.yaml');
    writeFileSync(file, manifest().replace(`              - ${base}/a-1.0.tar.gz`, `              - ${base}/gone2/a-1.0.tar.gz`));
    const error = await lockManifest(ctx, file).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/\n {2}build\.packageGroups\[0\]\.packages\[0\]\.tarball: source a-1\.0\.tar\.gz: none of its 2 ways gave the file:\n {6}- url .*\/gone\/a-1\.0\.tar\.gz: HTTP 404 Not Found\n {6}- url .*\/gone2\//);
  });

  it.skipIf(process.getuid?.() !== 0)('refuses a manifest it cannot write before downloading anything, and keeps the owner of one it can', async () => {
    // A read-only file system: root cannot write there either.
    const mnt = join(dir, 'ro');
    mkdirSync(mnt);
    await nodeExec('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]);
    try {
      writeFileSync(join(mnt, 'diracos.yaml'), manifest());
      await nodeExec('mount', ['-o', 'remount,ro', mnt]);
      const error = await lockManifest(ctx, join(mnt, 'diracos.yaml')).catch((e: unknown) => e);
      expect((error as Error).message).toBe(`${mnt}/diracos.yaml: cannot write the manifest: the file is not writable (EROFS); nothing was downloaded`);
      expect(requests).toEqual([]);
      expect(readdirSync(mnt)).toEqual(['diracos.yaml']);
    } finally {
      await nodeExec('umount', [mnt]);
    }
    // root locking a user's manifest (in a container) leaves it the user's
    const file = join(dir, 'diracos.yaml');
    writeFileSync(file, manifest());
    chownSync(file, 65534, 65534);
    await lockManifest(ctx, file);
    expect(statSync(file)).toMatchObject({ uid: 65534, gid: 65534 });
  });

  it('stopped by a signal mid-download, leaves the manifest as it was and no partial file', async () => {
    const file = join(dir, 'diracos.yaml');
    const text = manifest().replace(`${base}/b-2.0.src.rpm`, `${base}/endless/b-2.0.src.rpm`);
    writeFileSync(file, text);
    const cache = join(dir, 'cache');
    const script = join(dir, 'lock.ts');
    writeFileSync(script, `import { main } from ${JSON.stringify(join(import.meta.dirname, '../../src/cli/main.ts'))};\nprocess.exitCode = await main(process.argv.slice(2));\n`);
    const viteNode = join(import.meta.dirname, '../../node_modules/vite-node/vite-node.mjs');
    const child = spawn(process.execPath, [viteNode, script, '--', 'lock', '-m', file, '--cache-dir', cache], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const partial = () => (existsSync(join(cache, 'downloads', 'tmp')) ? readdirSync(join(cache, 'downloads', 'tmp')) : []);
    // killed once the endless body is being written
    while (!partial().some((n) => n.endsWith('b-2.0.src.rpm'))) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    await exited;
    expect(partial()).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(readdirSync(dir).filter((n) => n.includes('diracos.yaml'))).toEqual(['diracos.yaml']);
  }, 60_000);
});
