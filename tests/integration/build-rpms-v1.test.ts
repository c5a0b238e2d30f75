/**
 * What DIRACOS v1 relied on, in the engine, with real rpmbuild, patch, dnf and podman (container backend,
 * bullseye-build): spec patches applied to an SRPM, an SRPM whose spec is replaced by ours, prebuilt
 * binary RPMs, preSteps and buildCommand, and packages built on another platform or with platform options.
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRpms, planBuild, type BuildRpmsResult } from '../../src/build-rpms/index.js';
import { loadManifest, type LoadedManifest } from '../../src/manifest/load.js';
import { readIndex } from '../../src/repo/index-file.js';
import { DiracosError } from '../../src/shared/errors.js';
import { nodeExec } from '../../src/shared/exec.js';
import { BUILD_IMAGE, FIXTURES, tempDir, testContext } from './build-rpms-support.js';

const status = (r: BuildRpmsResult) => Object.fromEntries(r.packages.map((p) => [p.name, p.status]));
const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

/** One file of an RPM's payload (host rpm2cpio and cpio). */
async function payloadFile(rpm: string, path: string): Promise<string> {
  return (await nodeExec('bash', ['-o', 'pipefail', '-c', 'rpm2cpio "$1" | cpio -i --quiet --to-stdout "$2"', 'x', rpm, `.${path}`])).stdout;
}

/** A noarch spec that installs one file whose content its %build computes (with `prebuilt-tool` when asked). */
function spec(name: string, build: string, o: { buildRequires?: string } = {}): string {
  return [
    `Name: ${name}`,
    'Version: 1.0',
    'Release: 1',
    `Summary: ${name}`,
    'License: GPL-3.0-only',
    'BuildArch: noarch',
    ...(o.buildRequires ? [`BuildRequires: ${o.buildRequires}`] : []),
    '%description',
    `${name}.`,
    '%prep',
    '%build',
    build,
    '%install',
    `install -D -m 644 out.txt %{buildroot}%{_datadir}/${name}/out.txt`,
    '%files',
    `%{_datadir}/${name}/out.txt`,
    '',
  ].join('\n');
}

/**
 * The test folder: the fixtures, the fromsrpm SRPM and a prebuilt binary RPM (both made by rpmbuild),
 * a spec patch made by diff (it edits the spec and adds a file), our replacement spec and more specs.
 */
async function prepare(dir: string): Promise<void> {
  await cp(FIXTURES, join(dir, 'pkgs'), { recursive: true });
  const top = join(dir, 'rpm-top');
  await mkdir(join(top, 'SOURCES'), { recursive: true });
  await cp(join(dir, 'pkgs/fromsrpm/fromsrpm.sh'), join(top, 'SOURCES/fromsrpm.sh'));
  await nodeExec('rpmbuild', ['-bs', '--define', `_topdir ${top}`, '--define', `_srcrpmdir ${join(dir, 'srpms')}`, join(dir, 'pkgs/fromsrpm/fromsrpm.spec')]);
  await writeFile(join(dir, 'pkgs/prebuilt-tool.spec'), spec('prebuilt-tool', 'true').replace('%files', 'install -D -m 755 /dev/stdin %{buildroot}%{_bindir}/prebuilt-tool <<EOF\n#!/bin/sh\necho "prebuilt tool ran"\nEOF\n%files\n%{_bindir}/prebuilt-tool').replace('install -D -m 644 out.txt', 'echo tool > out.txt\ninstall -D -m 644 out.txt'));
  await nodeExec('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${top}`, '--define', `_rpmdir ${join(dir, 'prebuilt')}`, join(dir, 'pkgs/prebuilt-tool.spec')]);

  // The spec patch, as v1 kept them: a diff of the SRPM's unpacked folder, applied with patch -p1.
  const a = join(dir, 'diff/a');
  const b = join(dir, 'diff/b');
  await mkdir(a, { recursive: true });
  await mkdir(b, { recursive: true });
  const original = await readFile(join(dir, 'pkgs/fromsrpm/fromsrpm.spec'), 'utf8');
  await writeFile(join(a, 'fromsrpm.spec'), original);
  await writeFile(
    join(b, 'fromsrpm.spec'),
    original
      .replace('Release:        3', 'Release:        3.patched')
      .replace('Source0:        fromsrpm.sh', 'Source0:        fromsrpm.sh\nSource1:        added-by-patch.txt')
      .replace('%files\n%{_bindir}/fromsrpm', '%files\n%{_bindir}/fromsrpm\n%{_datadir}/fromsrpm/added-by-patch.txt')
      .replace('%{buildroot}%{_bindir}/fromsrpm', '%{buildroot}%{_bindir}/fromsrpm\ninstall -D -m 644 %{SOURCE1} %{buildroot}%{_datadir}/fromsrpm/added-by-patch.txt'),
  );
  await writeFile(join(b, 'added-by-patch.txt'), 'a file the spec patch added\n');
  const diff = await nodeExec('diff', ['-ruN', 'a', 'b'], { cwd: join(dir, 'diff'), allowFailure: true });
  await mkdir(join(dir, 'patches'), { recursive: true });
  await writeFile(join(dir, 'patches/fromsrpm.patch'), diff.stdout);

  // Our spec replacing the SRPM's: another name and release, the SRPM's own Source0.
  await mkdir(join(dir, 'specs'), { recursive: true });
  await writeFile(join(dir, 'specs/fromsrpm-ours.spec'), original.replace('Name:           fromsrpm', 'Name:           fromsrpm-ours').replace('Release:        3', 'Release:        7'));
  await writeFile(join(dir, 'specs/uses-tool.spec'), spec('uses-tool', '{ prebuilt-tool; cat %{_sourcedir}/pre.txt; echo "@MARK@"; cat /etc/diracos-which; } > out.txt', { buildRequires: 'prebuilt-tool' }));
  await writeFile(join(dir, 'specs/elsewhere.spec'), spec('elsewhere', 'cat /etc/diracos-which > out.txt'));
  await writeFile(join(dir, 'specs/with-options.spec'), spec('with-options', 'cat /etc/diracos-which > out.txt'));
}

async function writeManifest(dir: string, o: { release?: string; optionsSetup?: string } = {}): Promise<LoadedManifest> {
  const tool = join(dir, 'prebuilt/noarch/prebuilt-tool-1.0-1.noarch.rpm');
  const which = (what: string) => JSON.stringify(`echo ${what} > /etc/diracos-which`);
  const yaml = [
    'version: "0.1"',
    'repository: repo',
    'python: { version: "3.11.2", source: { path: pkgs/hello/hello.c } }',
    'build:',
    '  platform: bullseye',
    '  check: true',
    '  packageGroups:',
    '    - name: v1',
    '      packages:',
    '        - { name: patched-srpm, srpm: { path: srpms/fromsrpm-2.0-3.src.rpm }, specPatches: [patches/fromsrpm.patch] }',
    '        - { name: replaced, srpm: { path: srpms/fromsrpm-2.0-3.src.rpm }, spec: specs/fromsrpm-ours.spec }',
    `        - { name: prebuilt, rpms: [{ path: prebuilt/noarch/prebuilt-tool-1.0-1.noarch.rpm, sha256: ${await sha256(tool)} }] }`,
    '        - name: uses-tool',
    '          spec: specs/uses-tool.spec',
    `          preSteps: ['echo "from a pre step" > SOURCES/pre.txt', 'export DIRACOS_TEST_MARK=exported-by-a-pre-step']`,
    `          buildCommand: 'sed -i "s/@MARK@/$DIRACOS_TEST_MARK/" "$DIRACOS_SPEC" && eval "$DIRACOS_RPMBUILD"'`,
    '    - name: placed',
    '      platform: other',
    '      packages:',
    '        - { name: elsewhere, spec: specs/elsewhere.spec }',
    `        - { name: with-options, spec: specs/with-options.spec, platform: bullseye, platformOptions: { setup: [${which(o.optionsSetup ?? 'options')}] } }`,
    'platforms:',
    `  - { name: bullseye, image: "${BUILD_IMAGE}", family: debian, setup: [${which('default')}] }`,
    `  - { name: other, image: "${BUILD_IMAGE}", family: debian, setup: [${which('other')}] }`,
  ].join('\n');
  await writeFile(join(dir, 'diracos.yaml'), yaml + '\n');
  if (o.release) {
    const patch = join(dir, 'patches/fromsrpm.patch');
    await writeFile(patch, (await readFile(patch, 'utf8')).replace('+Release:        3.patched', `+Release:        ${o.release}`));
  }
  return loadManifest(join(dir, 'diracos.yaml'));
}

describe('what DIRACOS v1 relied on, built for real', () => {
  let dir: string;
  let m: LoadedManifest;
  let ctx: Awaited<ReturnType<typeof testContext>>;
  let first: BuildRpmsResult;
  const rpm = (rel: string) => join(dir, 'repo', rel);

  beforeAll(async () => {
    dir = await tempDir('v1');
    ctx = await testContext(dir);
    await prepare(dir);
    m = await writeManifest(dir);
    first = await buildRpms(ctx, m);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('builds every package; the one build-requiring the prebuilt RPM after it', () => {
    expect(status(first)).toEqual({ 'patched-srpm': 'built', replaced: 'built', prebuilt: 'built', 'uses-tool': 'built', elsewhere: 'built', 'with-options': 'built' });
    const order = first.packages.map((p) => p.name);
    expect(order.indexOf('uses-tool')).toBeGreaterThan(order.indexOf('prebuilt'));
  });

  it('applies the spec patch to the unpacked SRPM with patch -p1: the spec changed and the file it added is a source', async () => {
    const byName = Object.fromEntries(first.packages.map((p) => [p.name, p]));
    expect(byName['patched-srpm']!.rpms).toEqual(['src/fromsrpm-2.0-3.patched.src.rpm', 'x86_64/fromsrpm-2.0-3.patched.noarch.rpm']);
    expect(await payloadFile(rpm('x86_64/fromsrpm-2.0-3.patched.noarch.rpm'), '/usr/share/fromsrpm/added-by-patch.txt')).toBe('a file the spec patch added\n');
  });

  it('replaces the SRPM\'s spec by ours, keeping the SRPM\'s sources', async () => {
    const byName = Object.fromEntries(first.packages.map((p) => [p.name, p]));
    expect(byName.replaced!.rpms).toEqual(['src/fromsrpm-ours-2.0-7.src.rpm', 'x86_64/fromsrpm-ours-2.0-7.noarch.rpm']);
    expect(await payloadFile(rpm('x86_64/fromsrpm-ours-2.0-7.noarch.rpm'), '/usr/bin/fromsrpm')).toContain('from an SRPM');
  });

  it('puts the prebuilt RPM into the repository as it is (same bytes, no source RPM), and the package needing it gets it with dnf', async () => {
    const byName = Object.fromEntries(first.packages.map((p) => [p.name, p]));
    expect(byName.prebuilt!.rpms).toEqual(['x86_64/prebuilt-tool-1.0-1.noarch.rpm']);
    expect(await sha256(rpm('x86_64/prebuilt-tool-1.0-1.noarch.rpm'))).toBe(await sha256(join(dir, 'prebuilt/noarch/prebuilt-tool-1.0-1.noarch.rpm')));
    expect(await readFile(join(dir, 'work/build-rpms/logs/uses-tool.log'), 'utf8')).toMatch(/prebuilt-tool\s+noarch\s+1\.0-1\s+diracos/);
  });

  it('runs the pre steps in the build container before the build (in the tree, exports reaching it), then the build command', async () => {
    const out = await payloadFile(rpm('x86_64/uses-tool-1.0-1.noarch.rpm'), '/usr/share/uses-tool/out.txt');
    expect(out).toBe('prebuilt tool ran\nfrom a pre step\nexported-by-a-pre-step\ndefault\n');
    const log = await readFile(join(dir, 'work/build-rpms/logs/uses-tool.log'), 'utf8');
    expect(log).toContain('# pre step 1 of uses-tool: echo "from a pre step" > SOURCES/pre.txt');
    expect(log).toContain('# build command of uses-tool: sed -i');
  });

  it('builds a package on the platform its group names, and one with platform options in that prepared image', async () => {
    expect(await payloadFile(rpm('x86_64/elsewhere-1.0-1.noarch.rpm'), '/usr/share/elsewhere/out.txt')).toBe('other\n');
    expect(await payloadFile(rpm('x86_64/with-options-1.0-1.noarch.rpm'), '/usr/share/with-options/out.txt')).toBe('options\n');
  });

  it('keys: nothing rebuilds unchanged; a changed spec patch or platform option rebuilds exactly its package', async () => {
    expect(Object.values(status(await buildRpms(ctx, m))).every((s) => s === 'cached')).toBe(true);
    const changed = await writeManifest(dir, { release: '3.patched2', optionsSetup: 'options2' });
    const again = await buildRpms(ctx, changed);
    expect(status(again)).toEqual({ 'patched-srpm': 'built', replaced: 'cached', prebuilt: 'cached', 'uses-tool': 'cached', elsewhere: 'cached', 'with-options': 'built' });
    expect(await payloadFile(rpm('x86_64/with-options-1.0-1.noarch.rpm'), '/usr/share/with-options/out.txt')).toBe('options2\n');
    const index = await readIndex(join(dir, 'repo/diracos-index.json'));
    expect(index.packages['patched-srpm']!.rpms).toContain('x86_64/fromsrpm-2.0-3.patched2.noarch.rpm');
  });

  it('a spec patch that does not apply names the package and the patch, with patch\'s own output', async () => {
    const patch = join(dir, 'patches/fromsrpm.patch');
    await writeFile(patch, (await readFile(patch, 'utf8')).replaceAll('Version:        2.0', 'Version:        9.9'));
    const bad = loadManifest(join(dir, 'diracos.yaml'));
    const err = await planBuild(ctx, bad, { only: ['patched-srpm'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiracosError);
    expect((err as Error).message).toMatch(/^package 'patched-srpm': spec patch .*fromsrpm\.patch does not apply to fromsrpm-2\.0-3\.src\.rpm \(patch -p1 in the unpacked SRPM, exit 1\):\n.*FAILED/s);
  });

  it('a binary RPM given as srpm is refused when it is fetched (a url: validate cannot read it)', async () => {
    const tool = join(dir, 'prebuilt/noarch/prebuilt-tool-1.0-1.noarch.rpm');
    const text = (await readFile(join(dir, 'diracos.yaml'), 'utf8')).replace(
      /- \{ name: patched-srpm, .*\n/,
      `- { name: patched-srpm, srpm: { url: "file://${tool}", sha256: ${await sha256(tool)} } }\n`,
    );
    await writeFile(join(dir, 'url.yaml'), text);
    const err = await planBuild(ctx, loadManifest(join(dir, 'url.yaml')), { only: ['patched-srpm'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiracosError);
    expect((err as Error).message).toMatch(/^package 'patched-srpm': .*prebuilt-tool-1\.0-1\.noarch\.rpm is a binary RPM \(its lead says binary: prebuilt-tool-1\.0-1\), not a source RPM; list it under `rpms:`/);
  });
});
