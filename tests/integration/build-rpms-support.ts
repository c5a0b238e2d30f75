/** Shared set-up of the build-rpms integration tests and benchmark: fixtures copied to a temp folder, a real Context. */
import { cp, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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

/**
 * Copies the fixtures into `dir` (so tests may edit them), makes the SRPM (rpmbuild -bs) and the
 * tarball, writes diracos.yaml with `names` and loads it.
 */
export async function fixtureManifest(dir: string, names: readonly string[], extra = ''): Promise<LoadedManifest> {
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
    'repository: repo',
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
