// The bundled `diracos` command, run as a user runs it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = resolve('dist/cli/index.js');
let dir: string;
// dist/ is the committed bundle (`npm test` fails before this when it is stale); rebuilding it here
// would race with other test files running the action bundles.
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-bundle-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function diracos(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  expect(existsSync(CLI), `${CLI} (run npm run dist)`).toBe(true);
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: dir });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('dist/cli/index.js', () => {
  it('validates a good manifest (plain output off a terminal)', () => {
    const r = diracos('validate', '--manifest', resolve('tests/fixtures/manifest/good.yaml'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('good.yaml: valid');
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('prints located problems and exits 1 on a bad manifest', () => {
    writeFileSync(join(dir, 'diracos.yaml'), 'version: 2\n');
    const r = diracos('validate');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'diracos.yaml')}:1:10: version: expected a string, got number 2 (quote it)`);
  });

  it('a wrong option is one line naming it, before the manifest is read', () => {
    const r = diracos('build', '--jobs', 'zero');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("diracos build: --jobs: expected a whole number >= 1, got 'zero'\n");
  });

  it('--help per subcommand', () => {
    const r = diracos('build', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: diracos build \[options\]/);
    expect(r.stdout).toContain('--cache-dir DIR');
  });
});
