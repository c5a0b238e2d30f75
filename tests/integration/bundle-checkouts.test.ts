// The same sources checked out at two different paths, each with its own work folder, give
// byte-identical tarballs: nothing of where the checkout or the work folder is enters the bundle (pip's
// direct_url.json once recorded the manifest's absolute folder). The example's sources and the
// repository the test suite built for it (tests/support/example.ts): the whole example bundle, with pip
// installing both local packages (relative paths of the manifest; one compiled on the build platform).
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleDiracos, type BundleResult } from '../../src/bundle-diracos/index.js';
import { loadManifest } from '../../src/manifest/load.js';
import { nodeExec } from '../../src/shared/exec.js';
import { makeTestContext } from '../support/context.js';
import { EXAMPLE_MANIFEST, TEST_CACHE, withExampleLock } from '../support/example.js';

const REPO = join(TEST_CACHE, 'example', 'repo');
const BUILD_ROOTS = join(TEST_CACHE, 'example', 'work', 'build-roots');
const built = existsSync(join(REPO, 'diracos-index.json'));

let base: string | undefined;
afterAll(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

describe.skipIf(!built)(`two checkouts of the example at different paths (needs ${REPO}, built by the example tests)`, () => {
  it('give byte-identical tarballs, and no file in them names either checkout or work folder', async () => {
    base = await mkdtemp(join(tmpdir(), 'bundle-checkouts-'));
    const checkouts = [join(base, 'a', 'diracos'), join(base, 'elsewhere', 'much', 'deeper', 'checkout')];
    await withExampleLock(async () => {
      for (const c of checkouts) {
        await cp(dirname(EXAMPLE_MANIFEST), c, { recursive: true });
        // the example's ../specs and ../patches, shared with the root manifest
        for (const shared of ['specs', 'patches']) await cp(join(dirname(EXAMPLE_MANIFEST), '..', shared), join(dirname(c), shared), { recursive: true });
        // Each checkout's own repository (hard links: the RPMs are only read), at a path relative to it.
        await nodeExec('cp', ['-al', REPO, join(c, 'repo')]);
        // The exported build platform root is the same image either way: linked, not exported twice.
        if (existsSync(BUILD_ROOTS)) {
          await mkdir(join(c, '.work'), { recursive: true });
          await nodeExec('cp', ['-al', BUILD_ROOTS, join(c, '.work', 'build-roots')]);
        }
      }
    });
    const results: BundleResult[] = [];
    for (const c of checkouts) {
      const manifest = join(c, 'diracos.yaml');
      const text = (await readFile(manifest, 'utf8')).replace(/^repository: .*$/m, 'repository: repo');
      await writeFile(manifest, text);
      const ctx = await makeTestContext({ workdir: join(c, '.work'), downloadCache: join(c, '.work', 'downloads') });
      ctx.tools.share(c);
      try {
        results.push(await bundleDiracos(ctx, loadManifest(manifest), { outDir: join(c, '.work', 'bundle-diracos', 'out') }));
      } finally {
        await ctx.tools.close();
      }
    }
    const [a, b] = results as [BundleResult, BundleResult];
    expect(readFileSync(a.tarball).equals(readFileSync(b.tarball))).toBe(true);
    expect(b.sha256).toBe(a.sha256);
    // pip installed the local packages (their records are where a path would show).
    const versions = readFileSync(join(dirname(a.tarball), 'versions.txt'), 'utf8');
    expect(versions).toMatch(/^diracos-example==0\.1\.0$/m);
    expect(versions).toMatch(/^diracos-example-ext==0\.1\.0$/m);
    const names = (await nodeExec('tar', ['-tzf', a.tarball])).stdout;
    expect(names).toMatch(/diracos_example-0\.1\.0\.dist-info\/direct_url\.json\n/);
    // The content of every file, searched for the temp folder both checkouts are in.
    const found = await nodeExec('bash', ['-c', 'tar -xzOf "$1" | grep -c -a -F -- "$2"', 'grep', a.tarball, base], { allowFailure: true });
    expect(found.stdout.trim()).toBe('0');
  });
});
