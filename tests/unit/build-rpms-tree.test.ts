import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { placeSources, specSourceNames, treeDigests, type PackageTree } from '../../src/build-rpms/tree.js';
import { DiracosError } from '../../src/shared/errors.js';

const PARSED = [
  'Name: foo',
  'Source0: https://example.invalid/dl/foo-1.0.tar.gz',
  'Source: https://example.invalid/archive/v1.0.tar.gz#/foo-extra-1.0.tar.gz',
  'Source5: foo.conf',
  'Patch0: foo-fix-build.patch',
  'Patch:  foo-cve.patch',
  '%description',
].join('\n');

describe('specSourceNames', () => {
  it('lists SourceN/PatchN file names as rpm derives them, numbering unnumbered ones', () => {
    expect(specSourceNames(PARSED)).toEqual([
      { role: 'source', n: 0, name: 'foo-1.0.tar.gz' },
      { role: 'source', n: 1, name: 'foo-extra-1.0.tar.gz' },
      { role: 'source', n: 5, name: 'foo.conf' },
      { role: 'patch', n: 0, name: 'foo-fix-build.patch' },
      { role: 'patch', n: 1, name: 'foo-cve.patch' },
    ]);
  });
});

describe('placeSources', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'build-rpms-tree-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  async function tree(files: Record<string, string>, pending: Array<[string, 'source' | 'patch']>): Promise<PackageTree> {
    const t = join(dir, 'tree');
    await mkdir(join(t, 'SPECS'), { recursive: true });
    await mkdir(join(t, 'SOURCES'), { recursive: true });
    await writeFile(join(t, 'SPECS', 'foo.spec'), PARSED);
    await mkdir(join(dir, 'in'), { recursive: true });
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, 'in', name), text);
    return { name: 'foo', dir: t, spec: join(t, 'SPECS', 'foo.spec'), origin: join(dir, 'in', 'foo.spec'), pending: pending.map(([f, role]) => ({ file: join(dir, 'in', f), role })) };
  }

  it('puts exact names in place, fills the rest in order, finds leftovers beside the spec', async () => {
    const t = await tree(
      { 'foo-1.0.tar.gz': 'main', 'v1.0.tar.gz': 'extra', 'foo.conf': 'conf', 'a.patch': 'fix', 'b.patch': 'cve' },
      [
        ['v1.0.tar.gz', 'source'],
        ['foo-1.0.tar.gz', 'source'],
        ['a.patch', 'patch'],
        ['b.patch', 'patch'],
      ],
    );
    await placeSources(t, PARSED);
    const sources = join(t.dir, 'SOURCES');
    expect((await readdir(sources)).sort()).toEqual(['foo-1.0.tar.gz', 'foo-cve.patch', 'foo-extra-1.0.tar.gz', 'foo-fix-build.patch', 'foo.conf']);
    expect(await readFile(join(sources, 'foo-extra-1.0.tar.gz'), 'utf8')).toBe('extra');
    expect(await readFile(join(sources, 'foo-fix-build.patch'), 'utf8')).toBe('fix');
    expect(await readFile(join(sources, 'foo-cve.patch'), 'utf8')).toBe('cve');
    const digests = await treeDigests(t);
    expect(Object.keys(digests)).toContain('SPECS/foo.spec');
    expect(digests['SOURCES/foo.conf']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names the package and the missing SourceN when nothing provides it', async () => {
    const t = await tree({ 'foo-1.0.tar.gz': 'main' }, [['foo-1.0.tar.gz', 'source']]);
    const err = await placeSources(t, PARSED).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiracosError);
    expect((err as Error).message).toMatch(/package 'foo'.*Source1: foo-extra-1.0.tar.gz.*Source5: foo.conf.*Patch0: foo-fix-build.patch/);
  });
});
