/**
 * Rebuilding RPMs against our own CPython: an upstream spec that build-requires `python3-devel` or
 * `python(abi)` links to the generated CPython package through the Provides of its spec, read by the
 * real rpmspec in the build image (an arch package: several Provides, unlike a noarch fixture).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packagesWithPython } from '../../src/bootstrap-python/package.js';
import { buildGraph } from '../../src/build-rpms/graph.js';
import { querySpecs, type QueryResult } from '../../src/build-rpms/query.js';
import { prepareTree, type PackageTree } from '../../src/build-rpms/tree.js';
import type { ResolvedPackage } from '../../src/manifest/resolve.js';
import { BUILD_IMAGE, fixtureManifest, tempDir, testContext } from './build-rpms-support.js';

describe('BuildRequires satisfied by the Provides of our CPython package', () => {
  let dir: string;
  let packages: Map<string, ResolvedPackage>;
  let query: QueryResult;

  beforeAll(async () => {
    dir = await tempDir('pyprovides');
    const ctx = await testContext(dir);
    const m = await fixtureManifest(dir, ['pyuser']);
    packages = new Map((await packagesWithPython(ctx, m)).map((p) => [p.name, p]));
    const trees: PackageTree[] = [];
    for (const p of packages.values()) trees.push(await prepareTree(ctx, p, join(dir, 'work/trees')));
    query = await querySpecs(ctx, BUILD_IMAGE, m.buildPlatform, trees, packages, join(dir, 'work/query'), { checkPlatform: false });
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('reads every Provides of the generated CPython spec', () => {
    const python = query.specs.get('diracos-python3.11')!;
    expect(python.subpackages).toEqual([{ name: 'diracos-python3.11', file: 'diracos-python3.11-3.11.2-1.x86_64.rpm' }]);
    expect(python.provides['diracos-python3.11']).toEqual(
      expect.arrayContaining(['diracos-python3.11', 'diracos-python3.11(x86-64)', 'python(abi)', 'python3', 'python3-devel', 'python3-libs', 'python3-pip', 'python3.11']),
    );
  });

  it('links python3-devel and python(abi) to the CPython package, with nothing left to the platform', () => {
    const { graph, unsatisfied, fromRepo } = buildGraph(query.specs, packages, new Set());
    expect(unsatisfied.filter((u) => u.package === 'pyuser')).toEqual([]);
    // The edge names the first BuildRequires line that leads there (rpm lists them sorted).
    expect([...graph.get('pyuser')!.keys()]).toEqual(['diracos-python3.11']);
    expect(fromRepo.get('pyuser')!.sort()).toEqual(['python(abi) >= 3.11', 'python3-devel']);
  });
});
