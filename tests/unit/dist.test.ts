// scripts/dist.mjs, as `npm run dist` runs it: what the actions and the CLI execute, and its licences.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }>; imports: { path: string; external?: boolean }[] }>;
}

let scratch: string;
let out: string;
let metafile: Metafile;

function dist(outdir: string, ...more: string[]): void {
  execFileSync(process.execPath, ['scripts/dist.mjs', '--outdir', outdir, ...more], { stdio: 'pipe' });
}

/** Every file under dir, relative to it, sorted. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'dist-'));
  out = join(scratch, 'a');
  dist(out, '--metafile', join(scratch, 'meta.json'));
  metafile = JSON.parse(readFileSync(join(scratch, 'meta.json'), 'utf8')) as Metafile;
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm run dist', () => {
  it('is deterministic: a second build is byte for byte the first', () => {
    const again = join(scratch, 'b');
    dist(again);
    expect(files(again)).toEqual(files(out));
    for (const f of files(out)) expect(readFileSync(join(again, f)).equals(readFileSync(join(out, f))), f).toBe(true);
  });

  it('shares the code: small entries over dist/chunks, the whole under 6 MB', () => {
    const all = files(out);
    const size = all.reduce((n, f) => n + statSync(join(out, f)).size, 0);
    expect(size).toBeLessThan(6_000_000);
    const entries = all.filter((f) => f.endsWith('/index.js'));
    expect(entries).toEqual(['bootstrap-python/index.js', 'build-rpms/index.js', 'bundle-diracos/index.js', 'cli/index.js', 'test-platforms/index.js']);
    for (const e of entries) expect(statSync(join(out, e)).size, e).toBeLessThan(20_000);
    expect(all.filter((f) => !entries.includes(f) && f !== 'licenses.txt').every((f) => /^chunks\/[\w-]+-[A-Z0-9]{8}\.js$/.test(f))).toBe(true);
  });

  it('every action runs on node24 from an entry of dist/', () => {
    const actions = readdirSync('actions');
    expect(actions.length).toBe(4);
    for (const name of actions) {
      const runs = (parse(readFileSync(join('actions', name, 'action.yml'), 'utf8')) as { runs: { using: string; main: string } }).runs;
      expect(runs.using, name).toBe('node24');
      const main = resolve('actions', name, runs.main);
      expect(relative(resolve('dist'), main), name).toBe(`${name}/index.js`);
      expect(existsSync(join(out, name, 'index.js')), name).toBe(true);
    }
  });

  it('the CLI entry is an executable node script that loads its chunks and survives a closed pipe', () => {
    const cli = join(out, 'cli', 'index.js');
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(cli).mode & 0o111).not.toBe(0);
    const r = spawnSync(process.execPath, [cli, 'validate', '--help'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^usage: diracos validate \[options\]/);
    // `diracos validate | head`: the reader is gone (here before the first line): no stack trace, the
    // status of a process killed by SIGPIPE.
    const piped = spawnSync('sh', ['-c', `(sleep 0.5; "$0" "$1" validate -m "$2"; echo "status=$?" >&2) | true`, process.execPath, cli, resolve('tests/fixtures/manifest/good.yaml')], {
      encoding: 'utf8',
    });
    expect(piped.stderr).toBe('status=141\n');
    // The CLI, with every chunk it may load, never loads the actions' dependencies.
    const loaded = new Set<string>();
    const visit = (output: string) => {
      if (loaded.has(output)) return;
      loaded.add(output);
      for (const i of metafile.outputs[output]!.imports) if (!i.external) visit(i.path);
    };
    visit(Object.keys(metafile.outputs).find((k) => k.endsWith('/cli/index.js'))!);
    expect(loaded.size).toBeGreaterThan(5);
    const inputs = [...loaded].flatMap((o) => Object.keys(metafile.outputs[o]!.inputs));
    expect(inputs).toContain('src/cli/main.ts');
    expect(inputs.filter((i) => i.includes('node_modules/@actions/'))).toEqual([]);
  });
});

describe('dist/licenses.txt', () => {
  /** The package a bundled file belongs to: the closest package.json above it that has a name and a version. */
  function owner(input: string): { name: string; version: string } {
    for (let dir = dirname(input); dir !== '.' && dir !== '/'; dir = dirname(dir)) {
      const file = join(dir, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name && pkg.version) return { name: pkg.name, version: pkg.version };
    }
    throw new Error(`no package.json above ${input}`);
  }

  const bundled = (): Map<string, { name: string; version: string }> => {
    const found = new Map<string, { name: string; version: string }>();
    for (const output of Object.values(metafile.outputs)) {
      for (const input of Object.keys(output.inputs)) {
        if (!input.includes('node_modules/')) continue;
        const p = owner(input);
        found.set(`${p.name} ${p.version}`, p);
      }
    }
    return found;
  };

  it('has a section with licence text for every third-party package in the bundles', () => {
    const text = readFileSync(join(out, 'licenses.txt'), 'utf8');
    const packages = bundled();
    // The metafile really is what we think: the actions' dependencies are in.
    expect(packages.size).toBeGreaterThan(100);
    for (const name of ['@actions/core', '@actions/cache', '@actions/artifact', 'yaml', 'tar', 'undici']) {
      expect([...packages.values()].some((p) => p.name === name), name).toBe(true);
    }
    const sections = new Map<string, string>();
    for (const s of text.split(/^={80}\n(?=\S+ \S+\nlicense: )/m).slice(1)) {
      const [id, ...rest] = s.split('\n');
      sections.set(id!, rest.join('\n'));
    }
    const missing = [...packages.keys()].filter((id) => !sections.has(id));
    expect(missing, 'packages in the bundles without a section in licenses.txt').toEqual([]);
    expect([...sections.keys()].filter((id) => !packages.has(id)), 'sections for packages not in the bundles').toEqual([]);
    // Each section carries a licence file or README licence text; the few that ship none are known.
    const withoutText = [...sections].filter(([, body]) => body.includes('ships no licence text')).map(([id]) => id.split(' ')[0]);
    expect(withoutText.sort()).toEqual(['buffers', 'chainsaw']);
    expect(sections.get(`yaml ${[...packages.values()].find((p) => p.name === 'yaml')!.version}`)).toContain('Permission to use, copy, modify');
  });
});
