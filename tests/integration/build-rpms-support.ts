/** Shared set-up of the build-rpms integration tests and benchmark: fixtures copied to a temp folder, a real Context. */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTestContext } from '../support/context.js';
import { loadManifest, type LoadedManifest } from '../../src/manifest/load.js';
import { MemoryReporter } from '../../src/reporting/reporter.js';
import type { Context } from '../../src/shared/context.js';
import { nodeExec } from '../../src/shared/exec.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/packages/', import.meta.url));
export const BUILD_IMAGE = 'localhost/diracos-platform:bullseye-build';

export async function testContext(dir: string, jobs = 2): Promise<Context & { reporter: MemoryReporter }> {
  return makeTestContext({ workdir: join(dir, 'work'), downloadCache: join(dir, 'downloads'), jobs });
}

export async function tempDir(tag: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `build-rpms-${tag}-`));
}

/** Fixture packages of a manifest, as YAML lines under `packages:`. */
export const PACKAGE_YAML: Readonly<Record<string, string>> = {
  libgreet: '- { name: libgreet, spec: pkgs/libgreet/libgreet.spec }',
  hello: '- { name: hello, spec: pkgs/hello/hello.spec, sources: [{ path: pkgs/hello/hello.c }] }',
  patched: '- { name: patched, spec: pkgs/patched/patched.spec, sources: [{ path: pkgs/patched/patched.c }], patches: [pkgs/patched/fix.patch] }',
  fromsrpm: '- { name: fromsrpm, srpm: { path: srpms/fromsrpm-2.0-3.src.rpm } }',
  tarpkg: '- { name: tarpkg, tarball: { path: tarballs/tarpkg-1.0.tar.gz } }',
  'cyc-a': '- { name: cyc-a, spec: pkgs/cycle/cyc-a.spec }',
  'cyc-b': '- { name: cyc-b, spec: pkgs/cycle/cyc-b.spec }',
  unsat: '- { name: unsat, spec: pkgs/unsat/unsat.spec }',
  pyuser: '- { name: pyuser, spec: pkgs/pyuser/pyuser.spec }',
  elquery: '- { name: elquery, spec: pkgs/elquery/elquery.spec, with: [extra], without: [docs], defines: { flavour: fancy } }',
};

/** Specs given as text, written to <dir>/pkgs/<name>/<name>.spec: their package lines, for fixtureManifest's `extra`. */
export async function writeSpecPackages(dir: string, specs: Record<string, string>): Promise<string[]> {
  for (const [name, text] of Object.entries(specs)) {
    await mkdir(join(dir, 'pkgs', name), { recursive: true });
    await writeFile(join(dir, 'pkgs', name, `${name}.spec`), text);
  }
  return Object.keys(specs).map((n) => `        - { name: ${n}, spec: pkgs/${n}/${n}.spec }`);
}

/**
 * Copies the fixtures into `dir` (so tests may edit them), makes the SRPM (rpmbuild -bs) and the
 * tarball, writes diracos.yaml with `names` and loads it.
 */
export async function fixtureManifest(dir: string, names: readonly string[], extra = '', repository = 'repo'): Promise<LoadedManifest> {
  await cp(FIXTURES, join(dir, 'pkgs'), { recursive: true });
  if (names.includes('fromsrpm')) {
    const top = join(dir, 'srpm-top');
    await mkdir(join(top, 'SOURCES'), { recursive: true });
    await cp(join(dir, 'pkgs/fromsrpm/fromsrpm.sh'), join(top, 'SOURCES/fromsrpm.sh'));
    await nodeExec('rpmbuild', ['-bs', '--define', `_topdir ${top}`, '--define', `_srcrpmdir ${join(dir, 'srpms')}`, join(dir, 'pkgs/fromsrpm/fromsrpm.spec')]);
    const made = await readdir(join(dir, 'srpms'));
    if (!made.includes('fromsrpm-2.0-3.src.rpm')) throw new Error(`rpmbuild -bs made ${made.join(', ')}`);
  }
  if (names.includes('tarpkg')) {
    await mkdir(join(dir, 'tarballs'), { recursive: true });
    await nodeExec('tar', ['-czf', join(dir, 'tarballs/tarpkg-1.0.tar.gz'), '-C', join(dir, 'pkgs/tarpkg'), 'tarpkg-1.0']);
  }
  const yaml = [
    'version: "0.1"',
    `repository: ${JSON.stringify(repository)}`,
    'python: { version: "3.11.2", source: { path: pkgs/hello/hello.c } }',
    'build:',
    '  platform: bullseye',
    '  check: true',
    '  packageGroups:',
    '    - name: fixtures',
    '      packages:',
    ...names.map((n) => `        ${PACKAGE_YAML[n]}`),
    extra,
    'platforms:',
    `  - { name: bullseye, image: "${BUILD_IMAGE}", family: debian }`,
  ].join('\n');
  await writeFile(join(dir, 'diracos.yaml'), yaml + '\n');
  return loadManifest(join(dir, 'diracos.yaml'));
}

/**
 * A manifest of one noarch package, `defined`, whose RPM records the manifest's define `word` (in its
 * Summary): what a repository serves can be told from the key it claims. With `sleepSeconds`, %build
 * sleeps that long (a build to interrupt).
 */
export async function definedManifest(dir: string, word: string, opts: { sleepSeconds?: number; repository?: string } = {}): Promise<LoadedManifest> {
  await mkdir(dir, { recursive: true });
  const spec = [
    'Name: defined',
    'Version: 1',
    'Release: 1',
    'Summary: says %{word}',
    'License: GPL-3.0-only',
    'BuildArch: noarch',
    '%description',
    'Records the define word.',
    '%build',
    `sleep ${opts.sleepSeconds ?? 0}`,
    '%install',
    'mkdir -p %{buildroot}/usr/share/defined',
    'echo %{word} > %{buildroot}/usr/share/defined/word',
    '%files',
    '/usr/share/defined/word',
  ].join('\n');
  await writeFile(join(dir, 'defined.spec'), spec + '\n');
  const yaml = [
    'version: "0.1"',
    `repository: ${JSON.stringify(opts.repository ?? 'repo')}`,
    'python: { version: "3.11.2", source: { path: defined.spec } }',
    'build:',
    '  platform: bullseye',
    '  packageGroups:',
    '    - name: g',
    '      packages:',
    `        - { name: defined, spec: defined.spec, defines: { word: ${JSON.stringify(word)} } }`,
    'platforms:',
    `  - { name: bullseye, image: "${BUILD_IMAGE}", family: debian }`,
  ].join('\n');
  await writeFile(join(dir, 'diracos.yaml'), yaml + '\n');
  return loadManifest(join(dir, 'diracos.yaml'));
}

/** The Summary of an RPM file ("says <word>" for `defined`). */
export async function rpmSummary(file: string): Promise<string> {
  return (await nodeExec('rpm', ['-qp', '--nosignature', '--qf', '%{SUMMARY}', file])).stdout;
}

/** Containers of podman (running or not) that mount a host folder under `dir`, by name. */
export async function containersUsing(dir: string): Promise<string[]> {
  const ids = (await nodeExec('podman', ['ps', '--all', '--quiet'])).stdout.split('\n').filter(Boolean);
  if (ids.length === 0) return [];
  // A container may go away between the two calls: inspect what is left.
  const r = await nodeExec('podman', ['inspect', '--format', '{{.Name}}\t{{range .Mounts}}{{.Source}}\t{{end}}', ...ids], { allowFailure: true });
  return r.stdout
    .split('\n')
    .map((l) => l.split('\t'))
    .filter(([name, ...sources]) => name && sources.some((s) => s === dir || s.startsWith(`${dir}/`)))
    .map(([name]) => name!);
}

const DRIVER = fileURLToPath(new URL('./build-rpms-driver.ts', import.meta.url));
const VITE_NODE = fileURLToPath(new URL('../../node_modules/.bin/vite-node', import.meta.url));

export interface Driven {
  pid: number;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

/** Runs build-rpms-driver.ts on `dir` in its own process (and process group); see the driver for `env`. */
export function drive(dir: string, env: Record<string, string> = {}, jobs = 1): Driven {
  const child = spawn(VITE_NODE, [DRIVER, dir, String(jobs)], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return { pid: child.pid!, output: () => output, ended: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, output }))) };
}

/** The lock file a process of this host would write, for a process that is not us. */
export async function lockOf(pid: number, command: string): Promise<string> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  const start = stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  return JSON.stringify({ host: hostname(), pid, start, command, since: '2025-01-02T03:04:05.000Z', token: 'aaaa' }) + '\n';
}
