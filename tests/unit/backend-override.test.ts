// The build backend of a run (--backend, input `backend`): one transform of the loaded manifest, applied by
// every shell to every command that builds. Every key includes the backend, CPython's too.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { ActionsReporter } from '../../src/actions/shared/reporter.js';
import { loadInputs } from '../../src/actions/shared/start.js';
import { COMMANDS, parseCommandLine, type Parsed } from '../../src/cli/args.js';
import { cliManifest } from '../../src/cli/start.js';
import { loadManifest } from '../../src/manifest/load.js';
import { withBackend } from '../../src/manifest/overrides.js';
import { MemoryReporter } from '../../src/reporting/reporter.js';

const GOOD = resolve('tests/fixtures/manifest/good.yaml');
const ROOT = join(import.meta.dirname, '../..');
const BUILDING = ['bootstrap-python', 'build-rpms', 'build'];

const savedEnv = { ...process.env };
afterEach(() => {
  process.env = { ...savedEnv };
  vi.restoreAllMocks();
});

describe('the backend override', () => {
  it('replaces build.backend and nothing else, and leaves the loaded manifest as it was', () => {
    const m = loadManifest(GOOD);
    const before = m.manifest.build.backend;
    const mock = withBackend(m, before === 'mock' ? 'container' : 'mock');
    expect(mock.manifest.build.backend).not.toBe(before);
    expect({ ...mock.manifest, build: { ...mock.manifest.build, backend: before } }).toEqual(m.manifest);
    expect(m.manifest.build.backend).toBe(before);
    expect(withBackend(m, undefined)).toBe(m);
  });

  it('is an option of exactly the commands that build (bootstrap-python included)', () => {
    const taking = Object.entries(COMMANDS)
      .filter(([, c]) => (c.options as readonly string[]).includes('backend'))
      .map(([name]) => name);
    expect(taking.sort()).toEqual([...BUILDING].sort());
  });

  it.each(BUILDING)('diracos %s --backend applies it to the manifest the command runs on', (command) => {
    for (const backend of ['mock', 'container'] as const) {
      const p = parseCommandLine([command, '--manifest', GOOD, '--backend', backend]) as Parsed;
      expect(cliManifest(p, new MemoryReporter()).manifest.build.backend).toBe(backend);
    }
    const p = parseCommandLine([command, '--manifest', GOOD, '--backend', 'chroot']) as Parsed;
    expect(() => cliManifest(p, new MemoryReporter())).toThrow("--backend: expected one of container, mock, got 'chroot'");
  });

  it('the actions apply input `backend` as they load the manifest', () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true); // the action's log lines
    process.env.INPUT_MANIFEST = GOOD;
    process.env.INPUT_BACKEND = 'mock';
    expect(loadInputs(new ActionsReporter('test')).m.manifest.build.backend).toBe('mock');
    process.env.INPUT_BACKEND = '';
    expect(loadInputs(new ActionsReporter('test')).m.manifest.build.backend).toBe(loadManifest(GOOD).manifest.build.backend);
    process.env.INPUT_BACKEND = 'chroot';
    expect(() => loadInputs(new ActionsReporter('test'))).toThrow("input 'backend': expected one of container, mock, got 'chroot'");
  });

  it('the actions that build declare the input, and the reusable workflow passes it to every step using them', () => {
    for (const action of ['bootstrap-python', 'build-rpms']) {
      const meta = parse(readFileSync(join(ROOT, 'actions', action, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> };
      expect(Object.keys(meta.inputs), action).toContain('backend');
    }
    const w = parse(readFileSync(join(ROOT, '.github/workflows/diracos-reusable.yml'), 'utf8'), { merge: true }) as {
      jobs: Record<string, { steps?: Array<{ uses?: string; with?: Record<string, unknown> }> }>;
    };
    const steps = Object.entries(w.jobs).flatMap(([job, j]) => (j.steps ?? []).map((s) => ({ job, ...s })));
    const building = steps.filter((s) => /actions\/(bootstrap-python|build-rpms)$/.test(s.uses ?? ''));
    expect(new Set(building.map((s) => s.uses!.split('/').pop()))).toEqual(new Set(['bootstrap-python', 'build-rpms']));
    for (const s of building) expect(s.with?.backend, `${s.job}: ${s.uses}`).toBe('${{ inputs.backend }}');
  });
});
