/**
 * The workflows against the actions they call: every input given to `uses: ./actions/<name>`
 * exists in that action.yml and every required input is given; the pipeline's shape (no
 * container: jobs, required platforms, cache, release order) as the project decided it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { WORKFLOW_STAGES } from '../../src/pipeline/shards.js';

const ROOT = join(import.meta.dirname, '../..');
const WORKFLOWS = join(ROOT, '.github/workflows');

interface Step { uses?: string; run?: string; with?: Record<string, unknown>; id?: string }
interface Job { uses?: string; with?: Record<string, unknown>; needs?: string | string[]; steps?: Step[]; container?: unknown; 'runs-on'?: string; strategy?: { matrix?: unknown }; 'continue-on-error'?: unknown; outputs?: Record<string, string> }
interface Workflow { on: Record<string, unknown>; jobs: Record<string, Job> }
interface ActionInput { required?: boolean; default?: unknown }

const workflow = (file: string): Workflow => parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as Workflow;
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort();

/** `./actions/<name>` -> actions/<name>/action.yml's inputs. */
function actionInputs(uses: string): Record<string, ActionInput> {
  const file = join(ROOT, uses, 'action.yml');
  expect(existsSync(file), `${uses}: ${file} does not exist`).toBe(true);
  return (parse(readFileSync(file, 'utf8')) as { inputs?: Record<string, ActionInput> }).inputs ?? {};
}

const localSteps = files.flatMap((file) =>
  Object.entries(workflow(file).jobs).flatMap(([job, j]) =>
    (j.steps ?? []).filter((s) => s.uses?.startsWith('./actions/')).map((s) => ({ where: `${file} jobs.${job} ${s.uses}`, step: s })),
  ),
);

describe('calls of our actions', () => {
  it('covers the four actions', () => {
    expect(files).toEqual(['ci.yml', 'diracos-reusable.yml', 'diracos.yml', 'release.yml']);
    expect(new Set(localSteps.map((s) => s.step.uses))).toEqual(
      new Set(['./actions/bootstrap-python', './actions/build-rpms', './actions/bundle-diracos', './actions/test-platforms']),
    );
  });

  it.each(localSteps)('$where gives only inputs the action declares, and all required ones', ({ step }) => {
    const declared = actionInputs(step.uses!);
    const given = Object.keys(step.with ?? {});
    expect(given.filter((k) => !(k in declared))).toEqual([]);
    const missing = Object.entries(declared).filter(([k, d]) => d.required && d.default === undefined && !given.includes(k)).map(([k]) => k);
    expect(missing).toEqual([]);
  });
});

describe('outputs read from our actions', () => {
  const reads = files.flatMap((file) =>
    Object.entries(workflow(file).jobs).flatMap(([job, j]) =>
      Object.values(j.outputs ?? {}).flatMap((expr) =>
        [...expr.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)].map((m) => ({ where: `${file} jobs.${job}`, steps: j.steps ?? [], id: m[1]!, output: m[2]! })),
      ),
    ),
  );

  it('has some', () => expect(reads.length).toBeGreaterThanOrEqual(3));

  it.each(reads)('$where reads $id.$output, which the step\'s action declares', ({ steps, id, output }) => {
    const step = steps.find((s) => s.id === id);
    expect(step?.uses).toMatch(/^\.\/actions\//);
    const declared = (parse(readFileSync(join(ROOT, step!.uses!, 'action.yml'), 'utf8')) as { outputs?: Record<string, unknown> }).outputs ?? {};
    expect(Object.keys(declared)).toContain(output);
  });
});

describe('calls of the reusable workflow', () => {
  const reusable = workflow('diracos-reusable.yml');
  const call = reusable.on['workflow_call'] as { inputs: Record<string, { required?: boolean; default?: unknown }>; outputs: Record<string, unknown> };
  const calls = files.flatMap((file) =>
    Object.entries(workflow(file).jobs).filter(([, j]) => j.uses === './.github/workflows/diracos-reusable.yml').map(([job, j]) => ({ where: `${file} jobs.${job}`, job: j })),
  );

  it('is called by diracos.yml and release.yml', () => {
    expect(calls.map((c) => c.where)).toEqual(['diracos.yml jobs.diracos', 'release.yml jobs.pipeline']);
  });

  it.each(calls)('$where gives declared inputs and the required manifest', ({ job }) => {
    const given = Object.keys(job.with ?? {});
    expect(given.filter((k) => !(k in call.inputs))).toEqual([]);
    for (const [k, d] of Object.entries(call.inputs)) if (d.required) expect(given).toContain(k);
  });

  it('gives release.yml the outputs it reads', () => {
    const text = readFileSync(join(WORKFLOWS, 'release.yml'), 'utf8');
    const read = [...text.matchAll(/needs\.pipeline\.outputs\.([\w-]+)/g)].map((m) => m[1]!);
    expect(read.length).toBeGreaterThan(0);
    for (const o of read) expect(Object.keys(call.outputs)).toContain(o);
  });
});

describe('the pipeline', () => {
  const w = workflow('diracos-reusable.yml');

  const stages = Array.from({ length: WORKFLOW_STAGES }, (_, k) => `build-${k}`);

  it('runs python -> plan -> build shards stage after stage -> bundle -> tests', () => {
    const needs = (j: string) => [w.jobs[j]!.needs ?? []].flat();
    expect(Object.keys(w.jobs)).toEqual(['python', 'plan', ...stages, 'bundle', 'test']);
    stages.forEach((job, k) => {
      expect(needs(job)).toEqual(['python', 'plan', ...(k > 0 ? [`build-${k - 1}`] : [])]);
      expect(w.jobs[job]!.strategy!.matrix).toBe(`\${{ fromJSON(needs.plan.outputs.stages)[${k}] }}`);
      const build = w.jobs[job]!.steps!.find((s) => s.uses === './actions/build-rpms')!;
      expect(build.with!['shard']).toBe('${{ toJSON(matrix) }}');
      // Stage k merges what the earlier stages uploaded, and uploads its own repository.
      expect(build.with!['merge']).toBe(k > 0 ? 'shard-repos' : undefined);
      expect(w.jobs[job]!.steps!.some((s) => s.uses === 'actions/upload-artifact@v4' && s.with!['name'] === 'diracos-rpms-${{ matrix.name }}')).toBe(true);
    });
    expect(needs('bundle')).toEqual(stages);
    expect(w.jobs['bundle']!.steps!.find((s) => s.uses === './actions/build-rpms')!.with!['merge']).toBe('shard-repos');
    expect(needs('test')).toEqual(['bundle']);
    expect(w.jobs['plan']!.outputs!['stages']).toBe('${{ steps.plan.outputs.stages }}');
  });

  it('drives docker from ubuntu runners, never from container: jobs', () => {
    for (const file of files) {
      for (const [name, job] of Object.entries(workflow(file).jobs)) {
        expect(job.container, `${file} jobs.${name}`).toBeUndefined();
        if (!job.uses) expect(job['runs-on'], `${file} jobs.${name}`).toBe('ubuntu-latest');
      }
    }
  });

  it('tests SLC6 and CC7 as required, Ubuntu LTS and Fedora as allowed to fail', () => {
    const call = w.on['workflow_call'] as { inputs: Record<string, { default?: string }> };
    const platforms = JSON.parse(call.inputs['platforms']!.default!) as Array<{ platform: string; required: boolean }>;
    expect(platforms).toEqual([
      { platform: 'slc6', required: true },
      { platform: 'cc7', required: true },
      { platform: 'ubuntu2204', required: false },
      { platform: 'ubuntu2404', required: false },
      { platform: 'fedora', required: false },
    ]);
    expect(w.jobs['test']!['continue-on-error']).toBe('${{ !matrix.required }}');
    const step = w.jobs['test']!.steps!.find((s) => s.uses === './actions/test-platforms')!;
    expect(step.with!['platform']).toBe('${{ matrix.platform }}');
  });

  it('caches the RPM repository with actions/cache, saved only by the bundle job', () => {
    const cacheSteps = (job: string) => w.jobs[job]!.steps!.filter((s) => s.uses?.startsWith('actions/cache'));
    expect(cacheSteps('bundle').map((s) => s.uses)).toEqual(['actions/cache@v4']);
    for (const job of stages) {
      expect(cacheSteps(job).map((s) => s.uses)).toEqual(['actions/cache/restore@v4']);
      expect(cacheSteps(job)[0]!.with).toEqual(cacheSteps('bundle')[0]!.with);
    }
  });

  it('checks itself out at the workspace root so ./actions resolves in callers too', () => {
    for (const [name, job] of Object.entries(w.jobs)) {
      expect(job.steps![0], name).toEqual({ uses: 'actions/checkout@v4', with: { repository: '${{ job.workflow_repository }}', ref: '${{ job.workflow_sha }}' } });
      expect(job.steps![1], name).toEqual({ uses: 'actions/checkout@v4', with: { path: 'caller' } });
    }
  });
});

describe('ci.yml and release.yml', () => {
  const runs = (file: string, job: string) => workflow(file).jobs[job]!.steps!.filter((s) => s.run).map((s) => s.run!);

  it('ci runs npm ci, typecheck, lint, unit tests and the dist check in order', () => {
    const r = runs('ci.yml', 'check').join('\n');
    const order = ['npm ci', 'npm run typecheck', 'npm run lint', 'npx vitest run tests/unit', 'npm run dist', 'git diff --exit-code'].map((c) => r.indexOf(c));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('release triggers on vX.Y.Z tags only and publishes after the pipeline', () => {
    const w = workflow('release.yml');
    expect(w.on).toEqual({ push: { tags: ['v[0-9]+.[0-9]+.[0-9]+'] } });
    expect(w.jobs['pipeline']!.needs).toBe('verify');
    expect(w.jobs['publish']!.needs).toBe('pipeline');
    const steps = runs('release.yml', 'publish').join('\n');
    const order = ['sha256sum', 'gh release create', 'gh release upload', 'gh release edit "$TAG" --draft=false', 'git push --force origin'].map((c) => steps.indexOf(c));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(runs('release.yml', 'verify').join('\n')).toContain('git diff --exit-code');
  });
});
