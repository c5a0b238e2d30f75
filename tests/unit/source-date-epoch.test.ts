import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifest, type LoadedManifest } from '../../src/manifest/load.js';
import { DEFAULT_SOURCE_DATE_EPOCH, sourceDateEpoch } from '../../src/manifest/source-date-epoch.js';
import { validateManifestText } from '../../src/manifest/validate.js';

const GOOD = resolve('tests/fixtures/manifest/good.yaml');
const without = (m: LoadedManifest): LoadedManifest => ({ ...m, manifest: { ...m.manifest, sourceDateEpoch: undefined } });

describe('SOURCE_DATE_EPOCH: one rule for RPMs and tarballs', () => {
  const m = loadManifest(GOOD);

  it("is the manifest's sourceDateEpoch first, whatever the environment says", () => {
    expect(m.manifest.sourceDateEpoch).toBe(1700000000);
    expect(sourceDateEpoch(m, {})).toBe(1700000000);
    expect(sourceDateEpoch(m, { SOURCE_DATE_EPOCH: '1234' })).toBe(1700000000);
    expect(sourceDateEpoch(m, { SOURCE_DATE_EPOCH: 'garbage' })).toBe(1700000000);
  });

  it("else the environment's SOURCE_DATE_EPOCH, checked", () => {
    expect(sourceDateEpoch(without(m), { SOURCE_DATE_EPOCH: '1234' })).toBe(1234);
    for (const bad of ['0', '-5', '1.5', '12abc', ' 12', '99999999999999999999']) {
      expect(() => sourceDateEpoch(without(m), { SOURCE_DATE_EPOCH: bad }), bad).toThrow(`SOURCE_DATE_EPOCH='${bad}' in the environment is not a whole number of seconds >= 1`);
    }
  });

  it('else 2000-01-01, for the builds and the bundle alike (an empty variable is unset)', () => {
    expect(DEFAULT_SOURCE_DATE_EPOCH).toBe(Date.UTC(2000, 0, 1) / 1000);
    expect(sourceDateEpoch(without(m), {})).toBe(DEFAULT_SOURCE_DATE_EPOCH);
    expect(sourceDateEpoch(without(m), { SOURCE_DATE_EPOCH: '' })).toBe(DEFAULT_SOURCE_DATE_EPOCH);
  });

  it('the manifest may not give 0 (rpm takes it as unset)', () => {
    const text = readFileSync(GOOD, 'utf8').replace('sourceDateEpoch: 1700000000', 'sourceDateEpoch: 0');
    const { problems } = validateManifestText(text, GOOD);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/^sourceDateEpoch: must be at least 1, got 0/)]);
  });

  it('no other file of src/ reads the setting or the variable', () => {
    const readers: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, e.name);
        if (e.isDirectory()) walk(path);
        else if (/manifest\.sourceDateEpoch|env\.SOURCE_DATE_EPOCH|env\[['"]SOURCE_DATE_EPOCH/.test(readFileSync(path, 'utf8'))) readers.push(path);
      }
    };
    walk('src');
    expect(readers).toEqual([join('src', 'manifest', 'source-date-epoch.ts')]);
  });
});
