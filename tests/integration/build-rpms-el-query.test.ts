/**
 * Planning's spec query where rpm has no rpmspec (EL6's rpm 4.8): rpm's Python bindings and
 * `rpmbuild -bs --nodeps` over stand-in sources. No EL6 image runs here, so the EL6 path runs in the
 * bullseye build image with Debian's python3-rpm (rpm 4.16) and must read every spec exactly as the
 * rpmspec path (EL7's) does in the same image (its dnf brings python3-rpm): BuildRequires with bconds and defines applied,
 * subpackages and their files, Provides, Source/Patch names. The generated script itself is checked
 * with bash -n and shellcheck (tests/unit/el-scripts.test.ts).
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packagesWithPython } from '../../src/bootstrap-python/package.js';
import { querySpecs, type QueryResult } from '../../src/build-rpms/query.js';
import { prepareTree, specSourceNames, type PackageTree } from '../../src/build-rpms/tree.js';
import type { ResolvedPackage } from '../../src/manifest/resolve.js';
import type { PlatformSpec } from '../../src/manifest/types.js';
import { DiracosError } from '../../src/shared/errors.js';
import { BUILD_IMAGE, fixtureManifest, tempDir, testContext } from './build-rpms-support.js';

const NAMES = ['libgreet', 'hello', 'patched', 'fromsrpm', 'tarpkg', 'pyuser', 'elquery'];

describe('spec query on EL6 (rpm Python bindings) equals the rpmspec query', () => {
  let dir: string;
  let packages: Map<string, ResolvedPackage>;
  let el6: QueryResult;
  let el7: QueryResult;
  let run: (platform: PlatformSpec, out: string, trees?: PackageTree[]) => Promise<QueryResult>;
  let platform: (release: string, image?: string) => PlatformSpec;

  beforeAll(async () => {
    dir = await tempDir('elquery');
    const ctx = await testContext(dir);
    const m = await fixtureManifest(dir, NAMES);
    packages = new Map((await packagesWithPython(ctx, m)).map((p) => [p.name, p]));
    const trees: PackageTree[] = [];
    for (const p of packages.values()) trees.push(await prepareTree(ctx, p, join(dir, 'work/trees')));
    platform = (release, i = BUILD_IMAGE) => ({ name: `el${release}`, image: i, family: 'el', mock: { releasever: release } });
    run = (p, out, t = trees) => querySpecs(ctx, p.image, p, t, packages, join(dir, 'work', out), { checkPlatform: false });
    el6 = await run(platform('6'), 'el6');
    el7 = await run(platform('7'), 'el7');
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('reads every spec the way rpmspec does, without rpmspec', () => {
    // EL6's query went through rpm's Python bindings and a source RPM, EL7's through rpmspec.
    expect(existsSync(join(dir, 'work/el6/out/libgreet/srpm/libgreet-1.0-1.src.rpm'))).toBe(true);
    expect(existsSync(join(dir, 'work/el7/out/libgreet/srpm'))).toBe(false);
    expect([...el6.specs.keys()].sort()).toEqual([...packages.keys()].sort());
    for (const [name, rpmspec] of el7.specs) {
      const python = el6.specs.get(name)!;
      expect(python.buildRequires.sort(), name).toEqual(rpmspec.buildRequires.sort());
      expect(python.subpackages, name).toEqual(rpmspec.subpackages);
      expect(Object.fromEntries(Object.entries(python.provides).map(([k, v]) => [k, v.sort()])), name).toEqual(
        Object.fromEntries(Object.entries(rpmspec.provides).map(([k, v]) => [k, v.sort()])),
      );
      expect(specSourceNames(python.parsedSpec), name).toEqual(specSourceNames(rpmspec.parsedSpec));
    }
  });

  it('applies bconds and defines, and names URL sources and patches as rpm does', () => {
    const q = el6.specs.get('elquery')!;
    expect(q.buildRequires.sort()).toEqual(['extra-devel', 'gcc', 'pkgconfig(zlib) >= 1.2']);
    expect(q.subpackages).toEqual([
      { name: 'elquery', file: 'elquery-1.0-3.x86_64.rpm' },
      { name: 'elquery-data', file: 'elquery-data-1.0-3.noarch.rpm' },
    ]);
    expect(q.provides['elquery']).toContain('elquery-fancy');
    expect(q.provides['elquery-data']).toContain('elquery-data(fancy)');
    expect(specSourceNames(q.parsedSpec)).toEqual([
      { role: 'source', n: 0, name: 'elquery-1.0.tar.gz' },
      { role: 'source', n: 7, name: 'elquery-fancy.conf' },
      { role: 'patch', n: 3, name: 'elquery-fix.patch' },
    ]);
    expect(el6.specs.get('patched')!.parsedSpec).toBe('Source0: patched.c\nPatch0: patched-fix.patch\n');
  });

  it('reports a spec rpm cannot parse, or an image without rpm-python, as a DiracosError naming the package', async () => {
    const broken = { name: 'unsat', dir: join(dir, 'work/trees/unsat'), spec: join(dir, 'work/trees/unsat/SPECS/unsat.spec'), origin: 'unsat.spec', pending: [] };
    await mkdir(join(broken.dir, 'SPECS'), { recursive: true });
    await mkdir(join(broken.dir, 'SOURCES'), { recursive: true });
    await writeFile(broken.spec, 'Name: unsat\n%if\n');
    packages.set('unsat', { ...packages.get('pyuser')!, name: 'unsat' });
    const err = await run(platform('6'), 'broken', [broken as PackageTree]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiracosError);
    expect((err as Error).message).toMatch(/^package 'unsat': rpm's Python bindings and rpmbuild -bs cannot parse the spec:\n[\s\S]*ValueError/);
    const noPython = await run(platform('6', 'localhost/diracos-platform:bullseye'), 'nopython', [broken as PackageTree]).catch((e: unknown) => e);
    expect((noPython as Error).message).toMatch(/^package 'unsat': .*\nno Python with rpm's bindings \(rpm\.spec\) in the image: install rpm-python$/);
  });
});
