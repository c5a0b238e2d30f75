import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalArtifactStore, LocalCache, defaultCacheDir } from '../../src/cache/local.js';
import { DiracosError } from '../../src/shared/errors.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cache-local-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function tree(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}

describe('LocalCache', () => {
  it('saves paths and restores them at the same absolute paths', async () => {
    const cache = new LocalCache(join(root, 'store'));
    const data = join(root, 'data');
    tree(data, { 'repo/a.rpm': 'A', 'repo/sub/b.rpm': 'B' });
    symlinkSync('a.rpm', join(data, 'repo', 'link.rpm'));
    await cache.save([join(data, 'repo')], 'repo-v1');
    rmSync(data, { recursive: true });
    expect(await cache.restore([join(data, 'repo')], 'repo-v1')).toBe('repo-v1');
    expect(readFileSync(join(data, 'repo/a.rpm'), 'utf8')).toBe('A');
    expect(readFileSync(join(data, 'repo/sub/b.rpm'), 'utf8')).toBe('B');
    expect(readlinkSync(join(data, 'repo/link.rpm'))).toBe('a.rpm');
  });

  it('returns undefined on a miss and leaves the paths alone', async () => {
    const cache = new LocalCache(join(root, 'store'));
    expect(await cache.restore([join(root, 'x')], 'nothing', ['noth'])).toBeUndefined();
    expect(existsSync(join(root, 'x'))).toBe(false);
  });

  it('restore keys pick the newest entry with the prefix, in the order given', async () => {
    const cache = new LocalCache(join(root, 'store'));
    const f = join(root, 'f.txt');
    for (const key of ['repo-linux-aaa', 'repo-linux-bbb', 'other-ccc']) {
      writeFileSync(f, key);
      await cache.save([f], key);
    }
    // Make the older-named entry the newest on disk, so the choice cannot come from name order.
    const store = join(root, 'store');
    const when = (s: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, s));
    utimesSync(join(store, readdirSync(store).find((n) => n.includes('aaa'))!), when(30), when(30));
    utimesSync(join(store, readdirSync(store).find((n) => n.includes('bbb'))!), when(10), when(10));
    expect(await cache.restore([f], 'repo-linux-zzz', ['repo-linux-', 'other-'])).toBe('repo-linux-aaa');
    expect(readFileSync(f, 'utf8')).toBe('repo-linux-aaa');
    expect(await cache.restore([f], 'repo-mac-zzz', ['repo-mac-', 'other-'])).toBe('other-ccc');
    expect(readFileSync(f, 'utf8')).toBe('other-ccc');
    // An exact hit wins over any prefix.
    expect(await cache.restore([f], 'repo-linux-bbb', ['repo-linux-'])).toBe('repo-linux-bbb');
    expect(readFileSync(f, 'utf8')).toBe('repo-linux-bbb');
  });

  it('keys with slashes, dots and colons are file-safe and still prefix-match', async () => {
    const cache = new LocalCache(join(root, 'store'));
    const f = join(root, 'f.txt');
    writeFileSync(f, 'x');
    await cache.save([f], '../evil/key:1.2');
    expect(readdirSync(join(root, 'store'))).toHaveLength(1);
    expect(existsSync(join(root, 'evil'))).toBe(false);
    expect(await cache.restore([f], 'none', ['../evil/key:1.'])).toBe('../evil/key:1.2');
  });

  it('restores only the requested paths of an entry', async () => {
    const cache = new LocalCache(join(root, 'store'));
    tree(root, { 'a/1': 'one', 'b/2': 'two' });
    await cache.save([join(root, 'a'), join(root, 'b')], 'k');
    rmSync(join(root, 'a'), { recursive: true });
    rmSync(join(root, 'b'), { recursive: true });
    await cache.restore([join(root, 'b')], 'k');
    expect(existsSync(join(root, 'a'))).toBe(false);
    expect(readFileSync(join(root, 'b/2'), 'utf8')).toBe('two');
  });

  it('rejects relative paths and leaves no temp files behind', async () => {
    const cache = new LocalCache(join(root, 'store'));
    await expect(cache.save(['relative/path'], 'k')).rejects.toThrow(/not absolute/);
    await expect(cache.restore(['relative'], 'k')).rejects.toBeInstanceOf(DiracosError);
    writeFileSync(join(root, 'f'), 'x');
    await cache.save([join(root, 'f')], 'k');
    await cache.save([join(root, 'f')], 'k');
    expect(readdirSync(join(root, 'store'))).toEqual(['k.tar']);
  });

  it('saving only missing paths stores nothing', async () => {
    const cache = new LocalCache(join(root, 'store'));
    await cache.save([join(root, 'missing')], 'k');
    expect(await cache.restore([join(root, 'missing')], 'k')).toBeUndefined();
  });

  it('defaults under XDG_CACHE_HOME', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x/y' })).toBe('/x/y/diracos');
    expect(defaultCacheDir({ HOME: '/home/u' })).toMatch(/\/\.cache\/diracos$/);
  });
});

describe('LocalArtifactStore', () => {
  it('uploads files relative to rootDir and downloads them into another folder', async () => {
    const store = new LocalArtifactStore(join(root, 'artifacts'));
    const out = join(root, 'out');
    tree(out, { 'DIRACOS.tar.gz': 'tarball', 'sums/DIRACOS.sha256': 'sum', 'ignored.txt': 'no' });
    const where = await store.upload('DIRACOS-2.0', [join(out, 'DIRACOS.tar.gz'), join(out, 'sums/DIRACOS.sha256')], out);
    expect(where).toBe(join(root, 'artifacts', 'DIRACOS-2.0'));
    const dest = join(root, 'dest');
    expect(await store.download('DIRACOS-2.0', dest)).toBe(dest);
    expect(readFileSync(join(dest, 'DIRACOS.tar.gz'), 'utf8')).toBe('tarball');
    expect(readFileSync(join(dest, 'sums/DIRACOS.sha256'), 'utf8')).toBe('sum');
    expect(existsSync(join(dest, 'ignored.txt'))).toBe(false);
  });

  it('a second upload of a name replaces the first as a whole', async () => {
    const store = new LocalArtifactStore(join(root, 'artifacts'));
    tree(root, { 'o/a': '1', 'o/b': '2' });
    await store.upload('art', [join(root, 'o/a'), join(root, 'o/b')], join(root, 'o'));
    await store.upload('art', [join(root, 'o/b')], join(root, 'o'));
    expect(readdirSync(join(root, 'artifacts', 'art'))).toEqual(['b']);
    expect(readdirSync(join(root, 'artifacts'))).toEqual(['art']);
  });

  it('names the artifact and file on bad input', async () => {
    const store = new LocalArtifactStore(join(root, 'artifacts'));
    tree(root, { 'o/a': '1', 'elsewhere/b': '2' });
    await expect(store.upload('art', [join(root, 'elsewhere/b')], join(root, 'o'))).rejects.toThrow(/artifact 'art': file .*elsewhere\/b' is not under/);
    await expect(store.upload('../up', [join(root, 'o/a')], join(root, 'o'))).rejects.toThrow(/artifact name '..\/up' is not valid/);
    await expect(store.download('missing', join(root, 'd'))).rejects.toThrow(/artifact 'missing' not found/);
    expect(existsSync(join(root, 'artifacts', 'art'))).toBe(false);
  });
});
