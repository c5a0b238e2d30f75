/**
 * release.yml's scripts run as the runner runs them (the step's shell, GITHUB_OUTPUT, its env) against
 * real git repositories and real files: the major tag moves only forward and only for the newest tag of
 * its line, the checksum covers the tarball only, a re-run after publishing checks instead of failing,
 * and nothing is published unless every required platform passed. `gh` talks to github.com: a stand-in
 * script on PATH answers for it and records the calls.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCommandFile, shellCommand } from '../support/workflow-walk/walk.js';

const ROOT = join(import.meta.dirname, '../..');
const release = parse(readFileSync(join(ROOT, '.github/workflows/release.yml'), 'utf8')) as { jobs: Record<string, { steps: Array<{ name?: string; run?: string; shell?: string }> }> };
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'workflows-release-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface StepRun {
  status: number | null;
  output: string;
  outputs: Record<string, string>;
}

/** Runs the named step of a job of release.yml in cwd with env, as the runner would. */
function runStep(job: string, name: string, cwd: string, env: Record<string, string>): StepRun {
  const step = release.jobs[job]!.steps.find((s) => s.name === name);
  if (!step?.run) throw new Error(`release.yml jobs.${job}: no run step '${name}'`);
  const work = mkdtempSync(join(dir, 'step-'));
  const script = join(work, 'script.sh');
  const outputFile = join(work, 'output');
  writeFileSync(script, step.run);
  writeFileSync(outputFile, '');
  const [command, ...args] = shellCommand(step.shell ?? '').split(' ').map((a) => (a === '{0}' ? script : a));
  const r = spawnSync(command!, args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_OUTPUT: outputFile, ...env } });
  return { status: r.status, output: r.stdout + r.stderr, outputs: parseCommandFile(readFileSync(outputFile, 'utf8')) };
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).trim();

/** A repository whose commits are named c1, c2...: returns name -> sha. */
function history(repo: string, plan: Array<{ name: string; from?: string; tags?: string[] }>): Record<string, string> {
  mkdirSync(repo, { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  const shas: Record<string, string> = {};
  for (const c of plan) {
    if (c.from) git(repo, 'checkout', '-q', '--detach', shas[c.from]!);
    writeFileSync(join(repo, 'f'), c.name);
    git(repo, 'add', 'f');
    git(repo, 'commit', '-q', '-m', c.name);
    shas[c.name] = git(repo, 'rev-parse', 'HEAD');
    for (const t of c.tags ?? []) git(repo, 'tag', t);
  }
  return shas;
}

describe('the major tag', () => {
  const decide = (repo: string, tag: string, sha: string) => runStep('verify', 'Does the major tag move? (forward only, for the newest tag of its line)', repo, { TAG: tag, GITHUB_SHA: sha });

  it('moves forward for the newest tag of its line, and names the previous release', () => {
    const repo = join(dir, 'forward');
    const c = history(repo, [{ name: 'c1', tags: ['v1.0.0', 'v1'] }, { name: 'c2', tags: ['v1.1.0'] }, { name: 'c3', tags: ['v1.10.0'] }]);
    const r = decide(repo, 'v1.10.0', c.c3!);
    expect(r.status).toBe(0);
    expect(r.outputs).toEqual({ major: 'v1', previous: 'v1.1.0', move: 'true' });
  });

  it('stays for a patch release of an older line', () => {
    const repo = join(dir, 'older');
    const c = history(repo, [{ name: 'c1', tags: ['v1.0.0'] }, { name: 'c2', tags: ['v1.1.0', 'v1'] }, { name: 'c3', from: 'c1', tags: ['v1.0.1'] }]);
    const r = decide(repo, 'v1.0.1', c.c3!);
    expect(r.status).toBe(0);
    expect(r.outputs).toEqual({ major: 'v1', previous: 'v1.0.0', move: 'false' });
    expect(r.output).toContain('::notice::v1.0.1 is not the newest release of v1 (v1.1.0 is): v1 stays where it is');
  });

  it('refuses to move backwards or sideways', () => {
    const repo = join(dir, 'sideways');
    const c = history(repo, [{ name: 'c1', tags: ['v1.0.0'] }, { name: 'c2', tags: ['v1'] }, { name: 'c3', from: 'c1', tags: ['v1.1.0'] }]);
    const r = decide(repo, 'v1.1.0', c.c3!);
    expect(r.status).toBe(1);
    expect(r.output).toContain(`::error::v1 points at ${c.c2}, which is not an ancestor of v1.1.0`);
  });

  it('starts a new major line', () => {
    const repo = join(dir, 'major');
    const c = history(repo, [{ name: 'c1', tags: ['v1.4.2', 'v1'] }, { name: 'c2', tags: ['v2.0.0'] }]);
    expect(decide(repo, 'v2.0.0', c.c2!).outputs).toEqual({ major: 'v2', previous: 'v1.4.2', move: 'true' });
  });

  it('is pushed with a lease: a tag moved meanwhile to another line is not overwritten', () => {
    const origin = join(dir, 'origin');
    const c = history(origin, [{ name: 'c1', tags: ['v1.0.0', 'v1'] }, { name: 'c2', tags: ['v1.1.0'] }, { name: 'c3', from: 'c1' }]);
    const clone = join(dir, 'clone');
    git(dir, 'clone', '-q', origin, clone);
    const move = () => runStep('publish', 'Move the major tag forward', clone, { MAJOR: 'v1', TAG: 'v1.1.0', GITHUB_SHA: c.c2! });
    expect(move().status).toBe(0);
    expect(git(origin, 'rev-parse', 'v1^{commit}')).toBe(c.c2);
    expect(move().output).toContain('v1 is at v1.1.0 already');
    git(origin, 'tag', '-f', 'v1', c.c3!);
    const r = move();
    expect(r.status).toBe(1);
    expect(r.output).toContain(`::error::v1 moved to ${c.c3} meanwhile, which is not an ancestor of v1.1.0`);
    expect(git(origin, 'rev-parse', 'v1^{commit}')).toBe(c.c3);
  });
});

describe('publishing', () => {
  function artifact(): { folder: string; sha256: string } {
    const folder = mkdtempSync(join(dir, 'release-'));
    mkdirSync(join(folder, 'release'));
    const tarball = join(folder, 'release', 'DIRACOS-2.0.0-x86_64.tar.gz');
    writeFileSync(tarball, 'the tarball');
    for (const side of ['.sha256', '.md5']) writeFileSync(`${tarball}${side}`, 'sum\n');
    writeFileSync(join(folder, 'release', 'versions.txt'), 'openssl 3.0\n');
    return { folder, sha256: execFileSync('sha256sum', [tarball], { encoding: 'utf8' }).split(' ')[0]! };
  }
  const checksum = (folder: string, env: Record<string, string>) => runStep('publish', 'Checksum of the tarball', join(folder, 'release'), { TARBALL: 'DIRACOS-2.0.0-x86_64.tar.gz', ...env });

  it('writes the checksum of the tarball only, after checking it is the tested one', () => {
    const { folder, sha256 } = artifact();
    const r = checksum(folder, { SHA256: sha256 });
    expect(r.status).toBe(0);
    expect(readFileSync(join(folder, 'release', 'SHA256SUMS'), 'utf8')).toBe(`${sha256}  DIRACOS-2.0.0-x86_64.tar.gz\n`);
    expect(checksum(folder, { SHA256: '0'.repeat(64) }).status).toBe(1);
  });

  it('names what is wrong with the artifact', () => {
    const { folder, sha256 } = artifact();
    writeFileSync(join(folder, 'release', 'DIRACOS-2.0.0-x86_64.tar.zst'), 'another');
    expect(checksum(folder, { SHA256: sha256 }).output).toContain('::error::expected the one tarball DIRACOS-2.0.0-x86_64.tar.gz in the artifact, found: DIRACOS-2.0.0-x86_64.tar.gz DIRACOS-2.0.0-x86_64.tar.zst');
    const empty = mkdtempSync(join(dir, 'empty-'));
    mkdirSync(join(empty, 'release'));
    expect(checksum(empty, { SHA256: sha256 }).output).toContain('found: none');
  });

  /** A `gh` answering `release view` with a state and `release download` with a SHA256SUMS; records calls. */
  function fakeGh(state: 'missing' | 'true' | 'false', published = ''): { env: Record<string, string>; calls: () => string[] } {
    const bin = mkdtempSync(join(dir, 'gh-'));
    const log = join(bin, 'calls');
    writeFileSync(log, '');
    writeFileSync(join(bin, 'published'), published);
    writeFileSync(
      join(bin, 'gh'),
      `#!/bin/bash
echo "$*" >> "${log}"
case "$1 $2" in
  "release view") [ "${state}" = missing ] && { echo 'release not found' >&2; exit 1; }; echo "${state}" ;;
  "release download") while [ $# -gt 0 ]; do [ "$1" = --output ] && cp "${bin}/published" "$2"; shift; done ;;
esac
`,
    );
    chmodSync(join(bin, 'gh'), 0o755);
    return { env: { PATH: `${bin}:${process.env.PATH}`, TAG: 'v2.0.0', TARBALL: 'DIRACOS-2.0.0-x86_64.tar.gz' }, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  }
  const publish = (folder: string, env: Record<string, string>) => runStep('publish', 'Draft, upload, publish (a re-run completes a draft; a published release is only checked)', folder, env);

  it('drafts, uploads and publishes a new release', () => {
    const { folder, sha256 } = artifact();
    checksum(folder, { SHA256: sha256 });
    writeFileSync(join(folder, 'notes.md'), 'notes');
    const gh = fakeGh('missing');
    expect(publish(folder, gh.env).status).toBe(0);
    expect(gh.calls()).toEqual([
      'release view v2.0.0 --json isDraft --jq .isDraft',
      'release create v2.0.0 --draft --verify-tag --title v2.0.0 --notes-file notes.md',
      'release edit v2.0.0 --notes-file notes.md',
      'release upload v2.0.0 release/DIRACOS-2.0.0-x86_64.tar.gz release/SHA256SUMS release/versions.txt --clobber',
      'release edit v2.0.0 --draft=false',
    ]);
  });

  it('on a re-run after publishing, checks the published checksum instead of touching the release', () => {
    const { folder, sha256 } = artifact();
    checksum(folder, { SHA256: sha256 });
    const same = fakeGh('false', readFileSync(join(folder, 'release', 'SHA256SUMS'), 'utf8'));
    const r = publish(folder, same.env);
    expect(r.status).toBe(0);
    expect(r.output).toContain('::notice::release v2.0.0 was already published with this tarball');
    expect(same.calls().filter((c) => /upload|create|edit/.test(c))).toEqual([]);
    const other = fakeGh('false', `${'1'.repeat(64)}  DIRACOS-2.0.0-x86_64.tar.gz\n`);
    const bad = publish(folder, other.env);
    expect(bad.status).toBe(1);
    expect(bad.output).toContain('::error::release v2.0.0 is already published with another tarball');
  });

  it('publishes only when every required platform was tested and passed', () => {
    const gate = (results: object) => runStep('publish', 'Every required platform was tested and passed', dir, { RESULTS: JSON.stringify(results) }).status;
    expect(gate({ cc7: { required: true, ok: true }, fedora: { required: false, ok: false } })).toBe(0);
    expect(gate({ cc7: { required: true, ok: false }, fedora: { required: false, ok: true } })).toBe(1);
    expect(gate({ fedora: { required: false, ok: true } })).toBe(1);
    expect(gate({ static: { required: true, ok: true }, fedora: { required: false, ok: true } })).toBe(1);
    expect(gate({ static: { required: false, ok: false }, cc7: { required: true, ok: true } })).toBe(0);
    expect(gate({ static: { required: true, ok: false }, cc7: { required: true, ok: true } })).toBe(1);
    expect(gate({})).toBe(1);
  });
});
