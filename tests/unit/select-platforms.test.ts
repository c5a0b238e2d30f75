import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/manifest/load.js';
import { selectPlatforms } from '../../src/manifest/select-platforms.js';

const GOOD = resolve('tests/fixtures/manifest/good.yaml');

describe('selectPlatforms: the one choice of platforms (CLI, actions, test-platforms)', () => {
  const m = loadManifest(GOOD);
  const names = (list: readonly string[] | undefined) => selectPlatforms(m, list, '--platform').map((p) => p.name);

  it('means every platform, in the manifest order, for nothing, [] or all', () => {
    expect(names(undefined)).toEqual(['bullseye', 'cc7']);
    expect(names([])).toEqual(['bullseye', 'cc7']);
    expect(names(['cc7', 'all'])).toEqual(['bullseye', 'cc7']);
  });

  it('else the named ones, in the manifest order', () => {
    expect(names(['cc7'])).toEqual(['cc7']);
    expect(names(['cc7', 'bullseye'])).toEqual(['bullseye', 'cc7']);
  });

  it('names the option, the manifest and the choices for an unknown name', () => {
    expect(() => names(['bullseye', 'sles'])).toThrow(`--platform: no platform 'sles' in ${GOOD} (it has: bullseye, cc7, or all)`);
  });
});
