/**
 * The workflows against the actions they call and the rules the project set for them: every input
 * given to one of our actions exists in its action.yml and every required one is given; outputs read
 * are declared; the pipeline's shape (plan -> python -> stages -> bundle -> tests -> results); one
 * source for the repository path (the manifest, through the actions' outputs), for the platforms (the
 * manifest, through the plan) and for artifact names; CI and release as decided. The wiring itself is
 * proven by walking the jobs (workflow-walk tests).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '../..');
const WORKFLOWS = join(ROOT, '.github/workflows');
/** Where the reusable workflow checks these actions out. */
const ACTIONS_PATH = './.diracos-actions/';

interface Step { name?: string; uses?: string; run?: string; with?: Record<string, unknown>; id?: string; env?: Record<string, string>; shell?: string; if?: string }
interface Job { uses?: string; with?: Record<string, unknown>; needs?: string | string[]; steps?: Step[]; container?: unknown; 'runs-on'?: string; strategy?: { matrix?: unknown; 'fail-fast'?: boolean }; 'continue-on-error'?: unknown; outputs?: Record<string, string>; if?: string; permissions?: Record<string, string> }
interface Workflow { on: Record<string, unknown>; jobs: Record<string, Job>; concurrency?: { group: string; 'cancel-in-progress': unknown } }
interface ActionInput { required?: boolean; default?: unknown }

const workflow = (file: string): Workflow => parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as Workflow;
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort();
const actionDir = (uses: string) => join(ROOT, uses.replace(ACTIONS_PATH, './'));
const isOurs = (uses: string | undefined) => Boolean(uses?.startsWith(`${ACTIONS_PATH}actions/`) || uses?.startsWith('./actions/'));

/** `./.diracos-actions/actions/<name>` -> actions/<name>/action.yml. */
function actionYml(uses: string): { inputs?: Record<string, ActionInput>; outputs?: Record<string, unknown> } {
  const file = join(actionDir(uses), 'action.yml');
  expect(existsSync(file), `${uses}: ${file} does not exist`).toBe(true);
  return parse(readFileSync(file, 'utf8')) as { inputs?: Record<string, ActionInput> };
}

const localSteps = files.flatMap((file) =>
  Object.entries(workflow(file).jobs).flatMap(([job, j]) => (j.steps ?? []).filter((s) => isOurs(s.uses)).map((s) => ({ where: `${file} jobs.${job} ${s.uses}`, step: s }))),
);

describe('calls of our actions', () => {
  it('covers the four actions', () => {
    expect(files).toEqual(['ci.yml', 'diracos-reusable.yml', 'diracos.yml', 'release.yml']);
    expect(new Set(localSteps.map((s) => s.step.uses))).toEqual(new Set(['bootstrap-python', 'build-rpms', 'bundle-diracos', 'test-platforms'].map((a) => `${ACTIONS_PATH}actions/${a}`)));
  });

  it.each(localSteps)('$where gives only inputs the action declares, and all required ones', ({ step }) => {
    const declared = actionYml(step.uses!).inputs ?? {};
    const given = Object.keys(step.with ?? {});
    expect(given.filter((k) => !(k in declared))).toEqual([]);
    const missing = Object.entries(declared).filter(([k, d]) => d.required && d.default === undefined && !given.includes(k)).map(([k]) => k);
    expect(missing).toEqual([]);
  });
});

describe('outputs read from our actions', () => {
  const reads = files.flatMap((file) =>
    Object.entries(workflow(file).jobs).flatMap(([job, j]) => {
      const texts = [...Object.values(j.outputs ?? {}), ...(j.steps ?? []).flatMap((s) => Object.values(s.with ?? {}).map(String))];
      return texts.flatMap((expr) => [...expr.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)].map((m) => ({ where: `${file} jobs.${job}`, steps: j.steps ?? [], id: m[1]!, output: m[2]! })));
    }),
  );

  it('has some', () => expect(reads.length).toBeGreaterThanOrEqual(10));

  it.each(reads)('$where reads an output $output of step $id, which the step\'s action declares', ({ steps, id, output }) => {
    const step = steps.find((s) => s.id === id);
    expect(step, `no step ${id}`).toBeDefined();
    // A run step's outputs are its own script's: the walk checks them (a read of an unset one is reported).
    if (step!.run) return;
    if (step!.uses?.startsWith('actions/download-artifact')) return expect(output).toBe('download-path');
    expect(isOurs(step!.uses)).toBe(true);
    expect(Object.keys(actionYml(step!.uses!).outputs ?? {})).toContain(output);
  });
});

describe('calls of the reusable workflow', () => {
  const reusable = workflow('diracos-reusable.yml');
  const call = reusable.on['workflow_call'] as { inputs: Record<string, { required?: boolean; default?: unknown; type: string }>; outputs: Record<string, unknown> };
  const calls = files.flatMap((file) =>
    Object.entries(workflow(file).jobs).filter(([, j]) => j.uses === './.github/workflows/diracos-reusable.yml').map(([job, j]) => ({ where: `${file} jobs.${job}`, job: j })),
  );

  it('is called by diracos.yml and release.yml, on the root manifest', () => {
    expect(calls.map((c) => c.where)).toEqual(['diracos.yml jobs.diracos', 'release.yml jobs.pipeline']);
    for (const c of calls) expect(c.job.with!['manifest']).toBe('diracos.yaml');
  });

  it.skipIf(!existsSync(join(ROOT, 'diracos.yaml')))('finds the root manifest (diracos.yaml comes with issue 12)', () => {
    expect(existsSync(join(ROOT, 'diracos.yaml'))).toBe(true);
  });

  it.each(calls)('$where gives declared inputs and the required manifest', ({ job }) => {
    const given = Object.keys(job.with ?? {});
    expect(given.filter((k) => !(k in call.inputs))).toEqual([]);
    for (const [k, d] of Object.entries(call.inputs)) if (d.required) expect(given).toContain(k);
  });

  it('gives release.yml the outputs it reads', () => {
    const text = readFileSync(join(WORKFLOWS, 'release.yml'), 'utf8');
    const read = [...text.matchAll(/needs\.pipeline\.outputs\.([\w-]+)/g)].map((m) => m[1]!);
    expect(new Set(read)).toEqual(new Set(['sha256', 'tarball-name', 'test-results', 'artifact-name']));
    for (const o of read) expect(Object.keys(call.outputs)).toContain(o);
  });

  it('offers what a release manager varies, on dispatch of diracos.yml', () => {
    const d = workflow('diracos.yml');
    expect(Object.keys(d.on)).toEqual(['push', 'schedule', 'workflow_dispatch']);
    expect(d.on['push']).toEqual({ branches: ['main'] });
    expect(Object.keys((d.on['workflow_dispatch'] as { inputs: object }).inputs)).toEqual(['platforms', 'only', 'cache', 'shards', 'backend']);
    for (const k of ['platforms', 'only', 'cache', 'shards', 'backend']) expect(call.inputs[k]).toBeDefined();
  });
});

describe('the pipeline', () => {
  const w = workflow('diracos-reusable.yml');
  const text = readFileSync(join(WORKFLOWS, 'diracos-reusable.yml'), 'utf8');
  const stageJobs = Object.keys(w.jobs).filter((j) => j.startsWith('stage-'));
  const needs = (j: string) => [w.jobs[j]!.needs ?? []].flat();

  it('runs plan and python -> stage after stage -> bundle -> tests -> results', () => {
    expect(Object.keys(w.jobs)).toEqual(['plan', 'python', ...stageJobs, 'bundle', 'test', 'results']);
    stageJobs.forEach((job, k) => {
      expect(job).toBe(`stage-${k}`);
      expect(needs(job)).toEqual(k === 0 ? ['plan', 'python'] : ['plan', `stage-${k - 1}`]);
      expect(w.jobs[job]!.strategy!.matrix).toBe(`\${{ fromJSON(needs.plan.outputs.stages)[${k}] }}`);
      expect(w.jobs[job]!.if).toBe(`\${{ !cancelled() && !failure() && fromJSON(needs.plan.outputs.stages)[${k}] != null }}`);
    });
    expect(needs('bundle')).toEqual(['plan', 'python', ...stageJobs]);
    expect(needs('test')).toEqual(['plan', 'bundle']);
    expect(needs('results')).toEqual(['test']);
  });

  it('has one definition of a stage job, and the plan knows how many stage jobs there are', () => {
    for (const job of stageJobs) expect(w.jobs[job]!.steps).toEqual(w.jobs['stage-0']!.steps);
    const build = w.jobs['stage-0']!.steps!.find((s) => s.uses === `${ACTIONS_PATH}actions/build-rpms`)!;
    expect(build.with!['shard']).toBe('${{ toJSON(matrix) }}');
    expect(build.with!['merge']).toBe('${{ steps.earlier.outputs.download-path }}');
    const plan = w.jobs['plan']!.steps!.find((s) => s.id === 'plan')!;
    expect(plan.with!['stages']).toBe(stageJobs.length);
    expect(stageJobs.length).toBe(8);
  });

  it('has no repository path of its own: uploads take the staged repository the action outputs', () => {
    const call = w.on['workflow_call'] as { inputs: Record<string, unknown> };
    expect(Object.keys(call.inputs)).not.toContain('repository');
    expect(text).not.toMatch(/caller\/|hashFiles|actions\/cache/);
    const uploads = Object.entries(w.jobs).flatMap(([job, j]) =>
      (j.steps ?? []).filter((s) => s.uses === 'actions/upload-artifact@v4' && String(s.with?.['name']).includes('-rpms-')).map((s) => ({ job, s, steps: j.steps! })),
    );
    expect(uploads.map((u) => u.job)).toEqual(['python', ...stageJobs]);
    for (const { s, steps } of uploads) {
      const m = /^\$\{\{ steps\.([\w-]+)\.outputs\.staged-repository \}\}$/.exec(String(s.with!['path']));
      expect(m, String(s.with!['path'])).not.toBeNull();
      const producer = steps.find((x) => x.id === m![1])!;
      expect(isOurs(producer.uses)).toBe(true);
      expect(producer.with!['stage-repository']).toBe('${{ runner.temp }}/diracos-staged');
      expect(s.with).toMatchObject({ 'if-no-files-found': 'error', overwrite: true });
    }
  });

  it('names every artifact after the prefix, uniquely per shard, platform and attempt', () => {
    const names = [...text.matchAll(/(?:name|pattern|artifact-name|logs-artifact|junit-artifact): (\$\{\{ inputs\.artifact-prefix \}\}[^\n]*)/g)].map((m) => m[1]);
    expect(new Set(names)).toEqual(
      new Set([
        '${{ inputs.artifact-prefix }}-build-logs-python-${{ github.run_attempt }}',
        '${{ inputs.artifact-prefix }}-rpms-python',
        '${{ inputs.artifact-prefix }}-rpms-*',
        '${{ inputs.artifact-prefix }}-build-logs-${{ matrix.name }}-${{ github.run_attempt }}',
        '${{ inputs.artifact-prefix }}-rpms-${{ matrix.name }}',
        '${{ inputs.artifact-prefix }}-build-logs-bundle-${{ github.run_attempt }}',
        '${{ inputs.artifact-prefix }}-tarball',
        '${{ inputs.artifact-prefix }}-junit-${{ matrix.platform }}',
        '${{ inputs.artifact-prefix }}-junit-*',
        '${{ inputs.artifact-prefix }}-locked-manifest',
      ]),
    );
  });

  it('tests the platforms the manifest names, required as the manifest says', () => {
    const call = w.on['workflow_call'] as { inputs: Record<string, { default?: string }> };
    expect(call.inputs['platforms']!.default).toBe('all');
    expect(w.jobs['test']!.strategy!.matrix).toBe('${{ fromJSON(needs.plan.outputs.platforms) }}');
    expect(w.jobs['test']!['continue-on-error']).toBe('${{ !matrix.required }}');
    const step = w.jobs['test']!.steps!.find((s) => s.uses === `${ACTIONS_PATH}actions/test-platforms`)!;
    expect(step.with!['platform']).toBe('${{ matrix.platform }}');
    expect(step.with!['tarball']).toBe('${{ needs.bundle.outputs.artifact-name }}');
    for (const file of ['diracos-reusable.yml', 'diracos.yml', 'release.yml']) {
      expect(readFileSync(join(WORKFLOWS, file), 'utf8')).not.toMatch(/\b(slc6|ubuntu2204|ubuntu2404|fedora)\b/);
    }
  });

  it('drives docker from ubuntu runners, never from container: jobs', () => {
    for (const file of files) {
      for (const [name, job] of Object.entries(workflow(file).jobs)) {
        expect(job.container, `${file} jobs.${name}`).toBeUndefined();
        if (!job.uses) expect(job['runs-on'], `${file} jobs.${name}`).toBe('ubuntu-latest');
      }
    }
  });

  it('checks out the caller at the workspace root and these actions, at the pinned commit, beside it', () => {
    for (const [name, job] of Object.entries(w.jobs)) {
      if (name === 'results') continue;
      expect(job.steps![0], name).toMatchObject({ uses: 'actions/checkout@v4', with: { 'persist-credentials': false } });
      expect(job.steps![0]!.with, name).not.toHaveProperty('path');
      expect(job.steps![0]!.with, name).not.toHaveProperty('repository');
      expect(job.steps![1], name).toMatchObject({ uses: 'actions/checkout@v4', with: { repository: '${{ job.workflow_repository }}', ref: '${{ job.workflow_sha }}', path: '.diracos-actions' } });
    }
  });
});

describe('ci.yml', () => {
  const ci = workflow('ci.yml');

  it('runs the whole test suite (.ci/run) on node 24, for branches and pull requests, not tags', () => {
    expect(ci.on).toEqual({ push: { branches: ['**'] }, pull_request: null });
    const steps = ci.jobs['check']!.steps!;
    expect(steps.find((s) => s.uses === 'actions/setup-node@v4')!.with!['node-version']).toBe(24);
    expect(steps.map((s) => s.run).filter(Boolean)).toEqual(['sudo env "PATH=$PATH" bash .ci/run']);
    expect(readFileSync(join(ROOT, '.ci/run'), 'utf8')).toMatch(/npm test/);
  });

  it('cancels a superseded run of the same branch or pull request', () => {
    expect(ci.concurrency).toEqual({ group: 'ci-${{ github.event.pull_request.number || github.ref }}', 'cancel-in-progress': true });
  });
});

describe('release.yml', () => {
  const r = workflow('release.yml');
  const runs = (job: string) => r.jobs[job]!.steps!.filter((s) => s.run).map((s) => s.run!).join('\n');

  it('triggers on vX.Y.Z tags only and publishes after the pipeline', () => {
    expect(r.on).toEqual({ push: { tags: ['v[0-9]+.[0-9]+.[0-9]+'] } });
    expect(r.jobs['pipeline']!.needs).toBe('verify');
    expect(r.jobs['publish']!.needs).toEqual(['verify', 'pipeline']);
    const order = ['required platform', 'sha256sum --check', 'gh release create', 'gh release upload', 'gh release edit "$TAG" --draft=false', 'git push'].map((c) => runs('publish').indexOf(c));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(runs('verify')).toContain('git diff --exit-code');
  });

  it('moves the major tag with RELEASE_TOKEN, checked before anything is built', () => {
    const verify = r.jobs['verify']!.steps!;
    expect(verify.find((s) => s.name === 'The release token is configured')!.env).toEqual({ RELEASE_TOKEN: '${{ secrets.RELEASE_TOKEN }}' });
    const checkout = r.jobs['publish']!.steps!.find((s) => s.uses === 'actions/checkout@v4')!;
    expect(checkout.with).toMatchObject({ token: '${{ secrets.RELEASE_TOKEN }}', 'fetch-depth': 0 });
    expect(r.jobs['publish']!.steps!.find((s) => s.name === 'Move the major tag forward')!.if).toBe("needs.verify.outputs.move-major == 'true'");
  });

  it('runs every script with pipefail (shell: bash)', () => {
    for (const job of ['verify', 'publish']) for (const s of r.jobs[job]!.steps!.filter((x) => x.run && x.run !== 'npm ci')) expect(s.shell, s.name).toBe('bash');
  });
});
