// Runs each action's bundle as the runner does: node dist/<name>/index.js with INPUT_* variables,
// the GITHUB_* command files and RUNNER_TEMP, and no cache or artifact service.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runActionBundle, type ActionRun } from '../support/action-runner.js';

const ACTIONS = ['bootstrap-python', 'build-rpms', 'bundle-diracos', 'test-platforms'] as const;
let root: string;

// dist/ is the committed bundle: `npm test` fails before this when it is stale.
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'actions-bundles-'));
  cpSync(resolve('tests/fixtures/manifest'), join(root, 'ws'), { recursive: true });
  writeFileSync(join(root, 'ws', 'bad.yaml'), 'version: "1"\nrepository: repo\npython:\n  version: 3\nbuild: {platform: nope, packageGroups: []}\nplatforms: []\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function runAction(name: string, inputs: Record<string, string>): Promise<ActionRun> {
  return runActionBundle(name, inputs, { workspace: join(root, 'ws'), scratch: root });
}

describe.each(ACTIONS)('%s action', (name) => {
  it('turns every manifest problem into an annotation on its line and fails', async () => {
    const r = await runAction(name, { manifest: 'bad.yaml', runtime: 'host' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`::error title=${name},file=bad.yaml,line=4,col=3::python: missing required key 'source'`);
    expect(r.stdout).toContain(`::error title=${name},file=bad.yaml,line=4,col=12::python.version: expected a string, got number 3 (quote it)`);
    expect(r.stdout).toContain(`::error title=${name},file=bad.yaml,line=6,col=12::platforms: needs at least 1 item`);
    expect(r.stdout).toContain(`::error::${join(root, 'ws', 'bad.yaml')}: 3 problem(s) in the manifest\n`);
    expect(r.outputs).toEqual({});
  });

  it('names a bad input', async () => {
    const r = await runAction(name, { manifest: 'good.yaml', runtime: 'vm' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("::error::input 'runtime': expected one of auto, docker, podman, host, got 'vm'");
  });
});

describe('build-rpms', () => {
  it('checks only and shard against the manifest', async () => {
    let r = await runAction('build-rpms', { manifest: 'good.yaml', only: 'zlib, nosuch' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`::error::input 'only': package(s) not in ${join(root, 'ws', 'good.yaml')}: nosuch`);
    r = await runAction('build-rpms', { manifest: 'good.yaml', shard: '{"name": "x"' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/::error::input 'shard': not valid JSON/);
    r = await runAction('build-rpms', { manifest: 'good.yaml', plan: 'maybe' });
    expect(r.stdout).toContain("::error::input 'plan': expected true or false, got 'maybe'");
    // Our CPython is a package of the plan: a shard may hold it (the checks go on to the next input).
    r = await runAction('build-rpms', { manifest: 'good.yaml', shard: '{"name": "level2", "only": ["diracos-python3.11"], "level": 2}', only: 'diracos-python3.11', shards: 'x' });
    expect(r.stdout).toContain("::error::input 'shards': expected a whole number >= 1, got 'x'");
  });
});

describe('test-platforms', () => {
  it('without the artifact service warns, looks in the local folder under RUNNER_TEMP, and says what is missing', async () => {
    const r = await runAction('test-platforms', { manifest: 'good.yaml', runtime: 'host', platform: 'bullseye' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/::warning title=test-platforms::GitHub artifacts: no service in this run \(not on a GitHub runner\); using the local folder \S+\/temp\/diracos-local\/artifacts instead/);
    expect(r.stdout).toMatch(/::error::artifact 'DIRACOS-2.0.1' not found in \S+\/temp\/diracos-local\/artifacts/);
  });

  it('rejects a platform the manifest does not have', async () => {
    const r = await runAction('test-platforms', { manifest: 'good.yaml', platform: 'sles' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`::error::input 'platform': no platform 'sles' in ${join(root, 'ws', 'good.yaml')} (it has: bullseye, cc7, or all)`);
  });
});
