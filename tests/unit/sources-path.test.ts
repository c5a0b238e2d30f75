import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryReporter } from '../../src/reporting/reporter.js';
import { DiracosError } from '../../src/shared/errors.js';
import { nodeExec } from '../../src/shared/exec.js';
import { fetchSource } from '../../src/sources/fetch.js';

let dir: string;
let ctx: { exec: typeof nodeExec; reporter: MemoryReporter; downloadCache: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sources-path-'));
  ctx = { exec: nodeExec, reporter: new MemoryReporter(), downloadCache: join(dir, 'cache') };
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('path sources', () => {
  it('uses a local file where it is, with its sha256 and basename', async () => {
    const file = join(dir, 'fix-build.patch');
    await writeFile(file, '--- a\n+++ b\n');
    const spec = { path: file };
    expect(await fetchSource(ctx, spec)).toEqual({
      path: file,
      fileName: 'fix-build.patch',
      sha256: createHash('sha256').update('--- a\n+++ b\n').digest('hex'),
      spec,
    });
  });

  it('takes fileName when given', async () => {
    const file = join(dir, 'a.txt');
    await writeFile(file, 'a');
    expect((await fetchSource(ctx, { path: file, fileName: 'b.txt' })).fileName).toBe('b.txt');
  });

  it('uses a directory without a sha256', async () => {
    const sub = join(dir, 'tree');
    await mkdir(sub);
    const got = await fetchSource(ctx, { path: sub });
    expect(got).toMatchObject({ path: sub, fileName: 'tree' });
    expect(got.sha256).toBeUndefined();
  });

  it('checks a given sha256: a wrong one names the path and both digests', async () => {
    const file = join(dir, 'pinned.tar.gz');
    await writeFile(file, 'pinned');
    const right = createHash('sha256').update('pinned').digest('hex');
    expect((await fetchSource(ctx, { path: file, sha256: right })).sha256).toBe(right);
    const wrong = '0'.repeat(64);
    const error = await fetchSource(ctx, { path: file, sha256: wrong }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiracosError);
    expect((error as Error).message).toBe(`path source '${file}': sha256 mismatch: the manifest says ${wrong}, the file has ${right}`);
  });

  it('refuses a sha256 for a directory (it has no single digest)', async () => {
    const sub = join(dir, 'pinned-tree');
    await mkdir(sub);
    await expect(fetchSource(ctx, { path: sub, sha256: '1'.repeat(64) })).rejects.toThrow(
      new DiracosError(`path source '${sub}' is a directory, which has no sha256 (point at a file such as a tarball, or drop sha256)`),
    );
  });

  it('names a missing path', async () => {
    const missing = join(dir, 'no', 'such.patch');
    const error = await fetchSource(ctx, { path: missing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiracosError);
    expect((error as Error).message).toBe(`path source '${missing}' does not exist`);
  });

  it('refuses a relative path (manifest resolution makes them absolute)', async () => {
    await expect(fetchSource(ctx, { path: 'patches/x.patch' })).rejects.toThrow(/'patches\/x.patch' is not absolute/);
  });
});
