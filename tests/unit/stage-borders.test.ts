import { readdirSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error eslint.config.js is plain JavaScript without declarations
import { SHARED_LAYERS, SHELLS, STAGES } from '../../eslint.config.js';

/**
 * The layer borders of eslint.config.js, proven on probe files that exist only in memory: ESLint
 * lints the text as if it were `filePath`, with the repository's own configuration.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function restricted(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import { x } from '${source}';\nexport const y = x;\n`, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('stage borders (npm run lint)', () => {
  it('a stage importing another stage fails, for every pair', async () => {
    for (const from of STAGES as string[]) {
      for (const to of (STAGES as string[]).filter((s) => s !== from && !(from === 'bootstrap-python' && s === 'build-rpms'))) {
        const messages = await restricted(`src/${from}/probe.ts`, `../${to}/index.js`);
        expect(messages, `${from} -> ${to}`).toHaveLength(1);
        expect(messages[0]).toContain(`a stage (src/${from}) imports the shared layers`);
      }
    }
  }, 60_000);

  it('the case the border was made for: bundle-diracos reaching into build-rpms', async () => {
    expect(await restricted('src/bundle-diracos/closure.ts', '../build-rpms/select.js')).toHaveLength(1);
    expect(await restricted('src/test-platforms/index.ts', '../bundle-diracos/tarball.js')).toHaveLength(1);
  });

  it('a stage may import the shared layers and its own files', async () => {
    for (const layer of SHARED_LAYERS as string[]) expect(await restricted('src/bundle-diracos/probe.ts', `../${layer}/x.js`), layer).toEqual([]);
    expect(await restricted('src/bundle-diracos/probe.ts', './tarball.js')).toEqual([]);
  });

  it('bootstrap-python may call the build engine through its entry, nothing inside it', async () => {
    expect(await restricted('src/bootstrap-python/probe.ts', '../build-rpms/index.js')).toEqual([]);
    expect(await restricted('src/bootstrap-python/probe.ts', '../build-rpms/plan.js')).toHaveLength(1);
    expect(await restricted('src/bootstrap-python/probe.ts', '../build-rpms')).toHaveLength(1);
  });

  it('no stage imports a shell, and no shared layer imports a stage or a shell', async () => {
    for (const shell of SHELLS as string[]) expect(await restricted('src/build-rpms/probe.ts', `../${shell}/x.js`), shell).toHaveLength(1);
    for (const up of [...(STAGES as string[]), ...(SHELLS as string[])]) {
      expect(await restricted('src/manifest/probe.ts', `../${up}/x.js`), up).toHaveLength(1);
    }
    expect(await restricted('src/manifest/probe.ts', '../shared/errors.js')).toEqual([]);
  });

  it('keeps the toolkit rule everywhere but src/actions', async () => {
    expect(await restricted('src/test-platforms/probe.ts', '@actions/core')).toEqual([expect.stringContaining('only src/actions/ may import @actions/*')]);
    expect(await restricted('src/shared/probe.ts', '@actions/core')).toEqual([expect.stringContaining('only src/actions/ may import @actions/*')]);
    expect(await restricted('src/pipeline/probe.ts', '@actions/core')).toEqual([expect.stringContaining('only src/actions/ may import @actions/*')]);
    expect(await restricted('src/actions/probe.ts', '@actions/core')).toEqual([]);
  });

  it('every folder of src/ is placed in a layer', () => {
    const folders = readdirSync('src', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(folders.sort()).toEqual([...(STAGES as string[]), ...(SHARED_LAYERS as string[]), ...(SHELLS as string[])].sort());
  });
});
