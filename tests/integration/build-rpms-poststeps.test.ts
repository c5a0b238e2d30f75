/** Bootstrap groups and postSteps with real rpmbuild, dnf and podman (container backend, bullseye-build). */
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRpms, type BuildRpmsResult } from '../../src/build-rpms/index.js';
import { loadManifest, type LoadedManifest } from '../../src/manifest/load.js';
import { readIndex } from '../../src/repo/index-file.js';
import { DiracosError } from '../../src/shared/errors.js';
import { nodeExec } from '../../src/shared/exec.js';
import { fixtureManifest, tempDir, testContext } from './build-rpms-support.js';

const status = (r: BuildRpmsResult) => Object.fromEntries(r.packages.map((p) => [p.name, p.status]));

/** Installs the package just built from the buildOnly repository and prints what it installed. */
const MARKER_STEP =
  'dnf -q -y --setopt=reposdir=/dev/null --releasever=0 --nogpgcheck --repofrompath=b,file://$DIRACOS_BUILDONLY install pyopt' +
  ' && echo "marker: $DIRACOS_PACKAGE flavour $(cat /usr/share/pyopt/flavour) repo $DIRACOS_REPO"';

function bootstrapGroup(step: string): string {
  return [
    '    - name: boot',
    '      bootstrap: true',
    '      buildOnly: true',
    '      without: [python]',
    `      postSteps: [${JSON.stringify(step)}]`,
    '      packages:',
    '        - { name: pyopt, spec: pkgs/pyopt/pyopt.spec }',
  ].join('\n');
}

async function setStep(m: LoadedManifest, step: string): Promise<LoadedManifest> {
  const text = await readFile(m.file, 'utf8');
  await writeFile(m.file, text.replace(/postSteps: \[.*\]/, `postSteps: [${JSON.stringify(step)}]`));
  return loadManifest(m.file);
}

describe('bootstrap groups and postSteps (container backend)', () => {
  let dir: string;
  let m: LoadedManifest;
  let ctx: Awaited<ReturnType<typeof testContext>>;
  let first: BuildRpmsResult;

  beforeAll(async () => {
    dir = await tempDir('poststeps');
    ctx = await testContext(dir);
    m = await fixtureManifest(dir, ['libgreet', 'hello'], bootstrapGroup(MARKER_STEP));
    first = await buildRpms(ctx, m);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('builds the bootstrap package first, with its bcond off, into buildOnly', async () => {
    expect(first.packages.map((p) => p.name)).toEqual(['pyopt', 'libgreet', 'hello']);
    const pyopt = first.packages[0]!;
    expect(pyopt.rpms).toEqual(['buildOnly/x86_64/pyopt-1.0-1.noarch.rpm', 'src/pyopt-1.0-1.src.rpm']);
    const rpm = join(dir, 'repo', pyopt.rpms[0]!);
    // without python: no Requires on python3 (a with-python build has one).
    expect((await nodeExec('rpm', ['-qp', '--requires', rpm])).stdout).not.toMatch(/python3/);
    expect((await nodeExec('bash', ['-c', 'rpm2cpio "$1" | cpio -i --quiet --to-stdout ./usr/share/pyopt/flavour', 'x', rpm])).stdout).toBe('plain\n');
  });

  it('ran the post step after the package entered the repository, with the repository and package in its environment', async () => {
    const log = await readFile(join(dir, 'work/build-rpms/logs/pyopt.log'), 'utf8');
    expect(log).toContain('# post step 1 of pyopt');
    expect(log).toContain('marker: pyopt flavour plain repo /repo/x86_64');
  });

  it('shows each build and post step while it runs, with its live log', () => {
    const log = join(dir, 'work/build-rpms/logs/pyopt.log');
    expect(ctx.reporter.activities).toEqual(expect.arrayContaining([{ what: 'building pyopt', log }, { what: 'running post step 1 of pyopt', log }]));
    expect(ctx.reporter.messages('info')).toEqual(expect.arrayContaining([expect.stringMatching(/^build-rpms: building pyopt \(key [0-9a-f]{12}\), log: .*\/pyopt\.log$/), expect.stringMatching(/^build-rpms: built pyopt in \d+[hms]( \d+[ms])?$/)]));
  });

  it('every other package depends on the bootstrap package: in order and in its key', async () => {
    const spec = join(dir, 'pkgs/pyopt/pyopt.spec');
    await writeFile(spec, (await readFile(spec, 'utf8')).replace('echo plain', 'echo plainer'));
    const again = await buildRpms(ctx, m);
    expect(status(again)).toEqual({ pyopt: 'built', libgreet: 'built', hello: 'built' });
    expect(await readFile(join(dir, 'work/build-rpms/logs/pyopt.log'), 'utf8')).toContain('marker: pyopt flavour plainer');
    expect(status(await buildRpms(ctx, m))).toEqual({ pyopt: 'cached', libgreet: 'cached', hello: 'cached' });
  });

  it('a failing post step names the package and the step, and leaves the package out of the repository; a re-run redoes it', async () => {
    const bad = await setStep(m, 'echo about to fail; exit 3');
    const others = () => ctx.reporter.messages('info').filter((l) => /building (libgreet|hello)/.test(l)).length;
    const before = others();
    const err = await buildRpms(ctx, bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiracosError);
    expect((err as Error).message).toMatch(/^package 'pyopt': post step 1 failed \(exit 3\): echo about to fail; exit 3; log: .*pyopt\.log$/);
    const index = await readIndex(join(dir, 'repo/diracos-index.json'));
    expect(Object.keys(index.packages).sort()).toEqual(['hello', 'libgreet']);
    expect(await readdir(join(dir, 'repo/buildOnly/x86_64'))).toEqual(['repodata']);
    expect((await readdir(join(dir, 'repo/src'))).filter((f) => f.startsWith('pyopt'))).toEqual([]);
    // Their keys changed with the bootstrap package's, but nothing after it started.
    expect(others()).toBe(before);

    // Back to the good step: the same keys as before, only the package whose entry went is rebuilt.
    const fixed = await setStep(m, MARKER_STEP);
    expect(status(await buildRpms(ctx, fixed))).toEqual({ pyopt: 'built', libgreet: 'cached', hello: 'cached' });
  });
});
