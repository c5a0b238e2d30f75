import { readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRpms, type BuildRpmsResult } from '../../src/build-rpms/index.js';
import type { LoadedManifest } from '../../src/manifest/load.js';
import { readIndex } from '../../src/repo/index-file.js';
import { DiracosError } from '../../src/shared/errors.js';
import { nodeExec } from '../../src/shared/exec.js';
import { fixtureManifest, tempDir, testContext } from './build-rpms-support.js';

const ALL = ['libgreet', 'hello', 'patched', 'fromsrpm', 'tarpkg'];
const status = (r: BuildRpmsResult) => Object.fromEntries(r.packages.map((p) => [p.name, p.status]));

/** dnf on the host installs packages from the repository into a fresh root; the platform-provides RPM stands in for glibc. */
async function installFromRepo(dir: string, m: LoadedManifest, root: string, packages: string[]): Promise<void> {
  const provides = join(dir, 'work/build-rpms/query/platform/diracos-platform-provides.rpm');
  await rm(root, { recursive: true, force: true });
  await nodeExec('dnf', [
    '-q', '-y', `--installroot=${root}`, '--setopt=reposdir=/dev/null', '--nogpgcheck', '--setopt=install_weak_deps=False', '--releasever=0',
    `--repofrompath=diracos,file://${join(m.repository, m.arch)}`, 'install', provides, ...packages,
  ]);
}

async function runIn(root: string, program: string): Promise<string> {
  return (await nodeExec(join(root, program), [], { env: { ...process.env, LD_LIBRARY_PATH: join(root, 'usr/lib64') } })).stdout;
}

describe('buildRpms with real rpmbuild in podman (bullseye-build)', () => {
  let dir: string;
  let m: LoadedManifest;
  let ctx: Awaited<ReturnType<typeof testContext>>;
  let first: BuildRpmsResult;

  beforeAll(async () => {
    dir = await tempDir('engine');
    ctx = await testContext(dir);
    m = await fixtureManifest(dir, ALL);
    first = await buildRpms(ctx, m);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('builds every kind of package, the program after the library whose -devel it build-requires', async () => {
    expect(status(first)).toEqual({ libgreet: 'built', hello: 'built', patched: 'built', fromsrpm: 'built', tarpkg: 'built' });
    const order = first.packages.map((p) => p.name);
    expect(order.indexOf('hello')).toBeGreaterThan(order.indexOf('libgreet'));
    expect(first.repository).toBe(join(dir, 'repo'));
    const byName = Object.fromEntries(first.packages.map((p) => [p.name, p]));
    expect(byName.libgreet!.rpms).toEqual(['src/libgreet-1.0-1.src.rpm', 'x86_64/libgreet-1.0-1.x86_64.rpm', 'x86_64/libgreet-devel-1.0-1.x86_64.rpm']);
    expect(byName.fromsrpm!.rpms).toEqual(['src/fromsrpm-2.0-3.src.rpm', 'x86_64/fromsrpm-2.0-3.noarch.rpm']);
    expect(byName.tarpkg!.rpms).toContain('x86_64/tarpkg-1.0-1.x86_64.rpm');
    // The program's libgreet-devel came from our repository, through dnf in the build container.
    expect(await readFile(join(dir, 'work/build-rpms/logs/hello.log'), 'utf8')).toMatch(/libgreet-devel\s+x86_64\s+1\.0-1\s+diracos/);
    const index = await readIndex(join(dir, 'repo/diracos-index.json'));
    expect(Object.fromEntries(Object.entries(index.packages).map(([n, e]) => [n, e.key]))).toEqual(Object.fromEntries(first.packages.map((p) => [p.name, p.key])));
    const table = ctx.reporter.tables.at(-1)!;
    expect(table.header).toEqual(['package', 'key', 'status', 'seconds', 'RPMs']);
    expect(table.rows.find((r) => r[0] === 'hello')?.[2]).toBe('built');
  });

  it('installs from the repository with dnf and the programs run (against the library, with the patch applied)', async () => {
    const root = join(dir, 'root');
    await installFromRepo(dir, m, root, ['hello', 'patched', 'tarpkg', 'fromsrpm']);
    expect(await runIn(root, 'usr/bin/hello')).toBe('hello, world\n');
    expect(await runIn(root, 'usr/bin/patched')).toBe('patched\n');
    expect(await runIn(root, 'usr/bin/tarpkg')).toBe('built from a tarball\n');
    expect((await stat(join(root, 'usr/bin/fromsrpm'))).isFile()).toBe(true);
    expect(await readdir(join(root, 'usr/lib64'))).toContain('libgreet.so.1');
  });

  it('re-run with nothing changed builds nothing', async () => {
    const again = await buildRpms(ctx, m);
    expect(Object.values(status(again))).toEqual(['cached', 'cached', 'cached', 'cached', 'cached']);
    expect(again.packages.map((p) => p.key)).toEqual(first.packages.map((p) => p.key));
  });

  it('a changed library spec rebuilds the library and the program that build-requires it, nothing else', async () => {
    const spec = join(dir, 'pkgs/libgreet/libgreet.spec');
    await writeFile(spec, (await readFile(spec, 'utf8')).replace('gcc -O2 -fPIC', `gcc -O2 -DGREET_WORD='"bonjour"' -fPIC`));
    const changed = await buildRpms(ctx, m);
    expect(status(changed)).toEqual({ libgreet: 'built', hello: 'built', patched: 'cached', fromsrpm: 'cached', tarpkg: 'cached' });
    const root = join(dir, 'root2');
    await installFromRepo(dir, m, root, ['hello']);
    expect(await runIn(root, 'usr/bin/hello')).toBe('bonjour, world\n');
  });

  it('only= builds the asked package and what it build-requires', async () => {
    const r = await buildRpms(ctx, m, { only: ['hello'] });
    expect(r.packages.map((p) => p.name)).toEqual(['libgreet', 'hello']);
    await expect(buildRpms(ctx, m, { only: ['nope'] })).rejects.toThrow(/'nope'.*not in the manifest/);
  });
});

describe('errors before anything compiles', () => {
  let dir: string;
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('a build-dependency cycle names its packages', async () => {
    dir = await tempDir('errors');
    const ctx = await testContext(dir);
    const m = await fixtureManifest(dir, ['patched', 'cyc-a', 'cyc-b']);
    const err = await buildRpms(ctx, m).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiracosError);
    expect((err as Error).message).toMatch(/cycle[\s\S]*cyc-a, cyc-b[\s\S]*cyc-a -> cyc-b \(BuildRequires: cyc-b-devel\)/);
    await expect(stat(join(dir, 'work/build-rpms/logs'))).rejects.toThrow(); // nothing was built
    await expect(stat(join(dir, 'repo'))).rejects.toThrow();
  });

  it('a BuildRequires neither the manifest nor the platform provides names the package and the requirement', async () => {
    const sub = join(dir, 'unsat');
    const ctx = await testContext(sub);
    const m = await fixtureManifest(sub, ['patched', 'unsat']);
    const err = await buildRpms(ctx, m).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiracosError);
    expect((err as Error).message).toMatch(/package 'unsat': no-such-thing-devel >= 3/);
    expect((err as Error).message).not.toMatch(/'patched'/);
    await expect(stat(join(sub, 'work/build-rpms/logs'))).rejects.toThrow();
  });

  it('a failing build names the package and its log, and shows the tail', async () => {
    const sub = join(dir, 'fail');
    const ctx = await testContext(sub);
    const m = await fixtureManifest(sub, ['patched']);
    // The patch no longer applies: %prep fails.
    await writeFile(join(sub, 'pkgs/patched/patched.c'), 'int main(void) { return 1; }\n');
    const err = await buildRpms(ctx, m).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiracosError);
    const log = join(sub, 'work/build-rpms/logs/patched.log');
    expect((err as Error).message).toContain(`package 'patched': the build failed`);
    expect((err as Error).message).toContain(log);
    expect(ctx.reporter.messages('info').some((l) => /Bad exit status from .*%prep/.test(l))).toBe(true);
    expect((await readIndex(join(sub, 'repo/diracos-index.json'))).packages).toEqual({});
  });
});
