/**
 * The workflow walk (tests/support/workflow-walk) on small workflows: that it runs jobs in needs order
 * with matrices and if: from real outputs, that its services have GitHub's semantics, and that it
 * catches the wiring errors it exists for: a wrong manifest path, a repository path that does not match
 * the manifest's, a missing artifact, a duplicate artifact name, annotations off the caller's paths.
 * The walks that run our actions stop at the manifest (no container starts); the full walk of the
 * example is tests/integration/workflow-walk.test.ts.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { WalkServices } from '../support/workflow-walk/services.js';
import { walkWorkflow, type WalkOptions, type WalkResult } from '../support/workflow-walk/walk.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ACTIONS_REPO = 'DIRACGrid/diracos-actions';
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'workflow-walk-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A calling repository holding these files, walked with this workflow. */
function walk(workflow: string, files: Record<string, string> = {}, opts: Partial<WalkOptions> = {}): Promise<WalkResult> {
  const dir = mkdtempSync(join(scratch, 'case-'));
  const repo = join(dir, 'caller');
  for (const [path, text] of Object.entries({ ...files, '.github/workflows/w.yml': workflow })) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  return walkWorkflow({
    workflow: join(repo, '.github/workflows/w.yml'),
    repositories: { 'someone/caller': repo, [ACTIONS_REPO]: ROOT },
    repository: 'someone/caller',
    services: opts.services ?? new WalkServices(join(dir, 'services')),
    ...opts,
  });
}

const results = (r: WalkResult) => Object.fromEntries([...r.jobs].map(([id, j]) => [id, j.result]));
const stepLog = (r: WalkResult, job: string) => r.jobs.get(job)!.instances.flatMap((i) => i.steps.map((s) => s.log)).join('');

describe('the walk', () => {
  it('runs jobs in needs order, with matrices and if: from the outputs of earlier jobs', async () => {
    const r = await walk(`
on: workflow_call
jobs:
  last:
    needs: [shards]
    if: \${{ needs.shards.result == 'success' }}
    runs-on: ubuntu-latest
    steps:
      - run: echo "total=$(cat /dev/null; echo 3)" >> "$GITHUB_OUTPUT"
  plan:
    runs-on: ubuntu-latest
    outputs:
      shards: \${{ steps.p.outputs.shards }}
      none: \${{ steps.p.outputs.none }}
    steps:
      - id: p
        run: |
          echo 'shards={"include":[{"name":"a"},{"name":"b"}]}' >> "$GITHUB_OUTPUT"
          echo 'none=[]' >> "$GITHUB_OUTPUT"
  shards:
    needs: plan
    runs-on: ubuntu-latest
    strategy:
      matrix: \${{ fromJSON(needs.plan.outputs.shards) }}
    steps:
      - run: test "\${{ matrix.name }}" = a -o "\${{ matrix.name }}" = b
  never:
    needs: plan
    if: \${{ fromJSON(needs.plan.outputs.none)[0] != null }}
    runs-on: ubuntu-latest
    steps:
      - run: exit 1
`);
    expect(results(r)).toEqual({ plan: 'success', shards: 'success', last: 'success', never: 'skipped' });
    expect(r.jobs.get('shards')!.instances.map((i) => i.matrix)).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(r.problems).toEqual([]);
  });

  it('reports a read of an output the job never set (GitHub silently gives an empty string)', async () => {
    const r = await walk(`
on: workflow_call
jobs:
  plan:
    runs-on: ubuntu-latest
    outputs:
      repository: \${{ steps.p.outputs.repo }}
    steps:
      - id: p
        run: echo "repository=repo" >> "$GITHUB_OUTPUT"
  build:
    needs: plan
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ needs.plan.outputs.repository }}"
`);
    expect(r.problems).toEqual(['plan: reads steps.p.outputs.repo, which was never set']);
  });
});

describe('artifacts', () => {
  const upload = (name: string, path: string, extra = '') => `
      - uses: actions/upload-artifact@v4
        with:
          name: ${name}
          path: ${path}${extra}`;

  it('catches a repository path that is not where the build put the repository', async () => {
    // The defect of the first workflow: the build writes where the manifest says (repo/), the upload
    // reads where the workflow's own setting says (caller/repo/). GitHub only warns, then later jobs miss it.
    const workflow = (extra: string) => `
on: workflow_call
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: mkdir -p repo && echo rpm > repo/a.rpm${upload('rpms', 'caller/repo', extra)}
`;
    const warned = await walk(workflow(''));
    expect(warned.problems).toEqual(['build / Run actions/upload-artifact@v4: No files were found with the provided path: caller/repo. No artifacts will be uploaded. (if-no-files-found: warn hides a wrong path)']);
    const failed = await walk(workflow('\n          if-no-files-found: error'));
    expect(results(failed)).toEqual({ build: 'failure' });
    expect(stepLog(failed, 'build')).toContain('No files were found with the provided path: caller/repo');
  });

  it('catches a missing artifact', async () => {
    const r = await walk(`
on: workflow_call
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: mkdir out && echo x > out/x${upload('rpms-level0', 'out')}
  bundle:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: rpms-level-0
`);
    expect(results(r)).toEqual({ build: 'success', bundle: 'failure' });
    expect(stepLog(r, 'bundle')).toContain('Unable to download artifact(s): Artifact not found for name: rpms-level-0');
  });

  it('downloads by pattern into one folder per artifact, and nothing (no error, as GitHub) when none matches', async () => {
    const r = await walk(`
on: workflow_call
jobs:
  build:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        shard: [a, b]
    steps:
      - run: mkdir out && echo \${{ matrix.shard }} > out/\${{ matrix.shard }}.rpm${upload('rpms-${{ matrix.shard }}', 'out')}
  bundle:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - id: all
        uses: actions/download-artifact@v4
        with:
          pattern: rpms-*
          path: shards
      - run: test "$(cat shards/rpms-a/a.rpm shards/rpms-b/b.rpm)" = "$(printf 'a\\nb')"
      - id: none
        uses: actions/download-artifact@v4
        with:
          pattern: logs-*
      - run: test -z "\${{ steps.all.outputs.download-path == '' && 'bad' || '' }}"
`);
    expect(results(r)).toEqual({ build: 'success', bundle: 'success' });
  });

  it('catches a duplicate artifact name: refused without overwrite (409), reported with it', async () => {
    const workflow = (extra: string) => `
on: workflow_call
jobs:
  build:
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix:
        shard: [a, b]
    steps:
      - run: mkdir out && echo \${{ matrix.shard }} > out/rpm${upload('build-logs', 'out', extra)}
`;
    const refused = await walk(workflow(''));
    expect(results(refused)).toEqual({ build: 'failure' });
    expect(refused.jobs.get('build')!.instances.map((i) => i.result)).toEqual(['success', 'failure']);
    expect(stepLog(refused, 'build')).toContain('(409) Conflict: an artifact with this name already exists on the workflow run');
    const replaced = await walk(workflow('\n          overwrite: true'));
    expect(results(replaced)).toEqual({ build: 'success' });
    expect(replaced.problems).toEqual(["duplicate artifact name 'build-logs': uploaded by build (a), then replaced by build (b) in the same run attempt (one of them lost its files)"]);
  });

  it('lets a re-run attempt replace its own artifacts (overwrite), and refuses it without', async () => {
    const services = new WalkServices(join(scratch, 'rerun-services'));
    const workflow = (extra: string) => `
on: workflow_call
jobs:
  bundle:
    runs-on: ubuntu-latest
    steps:
      - run: mkdir out && echo \${{ github.run_attempt }} > out/tarball${upload('tarball', 'out', extra)}
`;
    expect(results(await walk(workflow('\n          overwrite: true'), {}, { services, runAttempt: 1 }))).toEqual({ bundle: 'success' });
    const second = await walk(workflow('\n          overwrite: true'), {}, { services, runAttempt: 2 });
    expect(results(second)).toEqual({ bundle: 'success' });
    expect(second.problems).toEqual([]);
    expect(readFileSync(join(services.artifactPath('tarball'), 'tarball'), 'utf8')).toBe('2\n');
    expect(results(await walk(workflow(''), {}, { services, runAttempt: 3 }))).toEqual({ bundle: 'failure' });
  });
});

describe('the cache', () => {
  it('keeps the first save of a key (immutable), restores by restore-keys prefix the newest entry', async () => {
    const services = new WalkServices(join(scratch, 'cache-services'));
    const job = (key: string, content: string, check = '') => `
on: workflow_call
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - id: cache
        uses: actions/cache@v4
        with:
          path: repo
          key: ${key}
          restore-keys: rpms-
      - run: |
          echo "hit=\${{ steps.cache.outputs.cache-hit }} matched=\${{ steps.cache.outputs.cache-matched-key }} content=$(cat repo/x 2>/dev/null)" ${check}
          mkdir -p repo && echo ${content} > repo/x
`;
    const first = await walk(job('rpms-1', 'one'), {}, { services });
    expect(stepLog(first, 'build')).toContain('hit=false matched= content=');
    const again = await walk(job('rpms-1', 'changed'), {}, { services });
    expect(stepLog(again, 'build')).toContain('hit=true matched=rpms-1 content=one');
    await new Promise((r) => setTimeout(r, 20));
    await walk(job('rpms-2', 'two'), {}, { services });
    const partial = await walk(job('rpms-3', 'three'), {}, { services });
    expect(stepLog(partial, 'build')).toContain('hit=false matched=rpms-2 content=two');
    // Another path list is another entry (GitHub's cache version), even under the same key.
    const otherPath = await walk(job('rpms-1', 'x').replace('path: repo', 'path: elsewhere'), {}, { services });
    expect(stepLog(otherPath, 'build')).toContain('hit=false matched= content=');
  });
});

const badManifest = 'version: "1"\nrepository: repo\npython:\n  version: 3\nbuild: {platform: nope, packageGroups: []}\nplatforms: []\n';

describe('our actions in a walk (they stop at the manifest)', () => {
  const reusable = readFileSync(join(ROOT, '.github/workflows/diracos-reusable.yml'), 'utf8');

  it('fails the plan with the path when the manifest path is wrong, and runs nothing after it', async () => {
    const r = await walk(reusable, { 'diracos.yaml': badManifest }, { inputs: { manifest: 'sub/diracos.yaml' }, workflowRepository: ACTIONS_REPO });
    expect(r.jobs.get('plan')!.result).toBe('failure');
    expect(stepLog(r, 'plan')).toMatch(/::error title=build-rpms,file=sub\/diracos\.yaml::cannot read manifest: ENOENT: no such file or directory/);
    expect([...r.jobs].filter(([id]) => /^stage-|^bundle$|^test$/.test(id)).map(([, j]) => j.result)).toEqual(Array(10).fill('skipped'));
  });

  it('stops the plan at sources without sha256, handing over the manifest locked on the runner', async () => {
    // The plan job of the reusable workflow as it is, alone (the other jobs would build for real).
    const doc = parseDocument(reusable, { merge: true });
    const w = doc.toJS({ maxAliasCount: -1 }) as { on: { workflow_call: Record<string, unknown> }; jobs: Record<string, unknown> };
    delete w.on.workflow_call['outputs'];
    const planOnly = JSON.stringify({ name: 'plan only', on: w.on, jobs: { plan: w.jobs['plan'] } });
    const upstream = join(mkdtempSync(join(scratch, 'upstream-')), 'Python-3.11.2.tgz');
    writeFileSync(upstream, 'pretend CPython');
    const manifest = [
      '# comments stay',
      'version: "1"',
      'repository: repo',
      `python: { version: "3.11.2", source: { url: "file://${upstream}" } }`,
      'build: { platform: deb, packageGroups: [] }',
      'platforms: [{ name: deb, image: img, family: debian }]',
      '',
    ].join('\n');
    const services = new WalkServices(join(mkdtempSync(join(scratch, 'lock-')), 'services'));
    const r = await walk(planOnly, { 'diracos.yaml': manifest }, { inputs: { manifest: 'diracos.yaml' }, workflowRepository: ACTIONS_REPO, services });
    expect(r.jobs.get('plan')!.result).toBe('failure');
    expect(r.annotations).toContainEqual(expect.objectContaining({ file: 'diracos.yaml', message: expect.stringContaining('sources without sha256') }));
    const locked = readFileSync(join(services.artifactPath('diracos-locked-manifest'), 'diracos.yaml'), 'utf8');
    const sha = createHash('sha256').update('pretend CPython').digest('hex');
    expect(locked).toBe(manifest.replace(`Python-3.11.2.tgz" }`, `Python-3.11.2.tgz", sha256: ${sha} }`));
    // the plan action never ran
    expect(stepLog(r, 'plan')).not.toMatch(/build-rpms/);
  });

  it('puts the manifest annotations on the caller\'s own paths', async () => {
    const r = await walk(reusable, { 'config/diracos.yaml': badManifest }, { inputs: { manifest: 'config/diracos.yaml' }, workflowRepository: ACTIONS_REPO });
    expect(r.jobs.get('plan')!.result).toBe('failure');
    const onManifest = r.annotations.filter((a) => a.file);
    expect(onManifest.map((a) => `${a.file}:${a.line}`)).toEqual(expect.arrayContaining(['config/diracos.yaml:4', 'config/diracos.yaml:6']));
    expect(r.problems).toEqual([]);
  });

  it('catches annotations on a path that is not the caller\'s (the caller checked out under caller/)', async () => {
    // The layout of the first reusable workflow: this repository at the root, the caller under caller/.
    const r = await walk(
      `
on: workflow_call
jobs:
  plan:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          repository: ${ACTIONS_REPO}
      - uses: actions/checkout@v4
        with:
          path: caller
      - uses: ./actions/build-rpms
        with:
          manifest: caller/diracos.yaml
          plan: true
`,
      { 'diracos.yaml': badManifest },
    );
    expect(r.problems).toContain("plan / Run ./actions/build-rpms: annotation on 'caller/diracos.yaml', which is not a path of the calling repository someone/caller (GitHub cannot show it on its lines)");
  });

  it('reports an input the action does not declare', async () => {
    const r = await walk(
      `
on: workflow_call
jobs:
  plan:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/checkout@v4
        with:
          repository: ${ACTIONS_REPO}
          path: .diracos-actions
      - uses: ./.diracos-actions/actions/build-rpms
        with:
          manifest: diracos.yaml
          repository: repo
`,
      { 'diracos.yaml': badManifest },
    );
    expect(r.problems[0]).toMatch(/^plan \/ Run \.\/\.diracos-actions\/actions\/build-rpms: unexpected input\(s\) 'repository' \(\.\/\.diracos-actions\/actions\/build-rpms declares manifest, /);
  });
});

describe('this repository\'s workflows', () => {
  it('diracos.yml keeps the cache on for push and schedule, and passes a release manager\'s choices on dispatch', async () => {
    // This repository with a root manifest that stops the plan at validation (diracos.yaml is issue 12's).
    const caller = mkdtempSync(join(scratch, 'self-'));
    cpSync(join(ROOT, '.github'), join(caller, 'repo', '.github'), { recursive: true });
    cpSync(join(ROOT, 'actions'), join(caller, 'repo', 'actions'), { recursive: true });
    cpSync(join(ROOT, 'dist'), join(caller, 'repo', 'dist'), { recursive: true });
    writeFileSync(join(caller, 'repo', 'diracos.yaml'), badManifest);
    const run = (event: string, inputs: Record<string, string | number | boolean> = {}) =>
      walkWorkflow({
        workflow: join(caller, 'repo', '.github/workflows/diracos.yml'),
        event,
        inputs,
        repositories: { [ACTIONS_REPO]: join(caller, 'repo') },
        repository: ACTIONS_REPO,
        services: new WalkServices(join(caller, `services-${event}`)),
      });
    for (const event of ['push', 'schedule']) {
      const r = await run(event);
      expect(r.problems).toEqual([]);
      expect(r.jobs.get('diracos')!.inputs).toMatchObject({ manifest: 'diracos.yaml', platforms: 'all', only: '', cache: true, shards: 4, backend: '' });
    }
    const d = await run('workflow_dispatch', { platforms: 'cc7,slc6', only: 'openssl', cache: false, shards: 2, backend: 'mock' });
    expect(d.jobs.get('diracos')!.inputs).toMatchObject({ manifest: 'diracos.yaml', platforms: 'cc7,slc6', only: 'openssl', cache: false, shards: 2, backend: 'mock' });
    expect(d.problems).toEqual([]);
  });
});
