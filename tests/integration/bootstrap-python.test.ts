/**
 * Our CPython, built for real from Debian's python3.11 source against the example's libraries,
 * installed with dnf into an empty root at a random path and run there on three Debian releases.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapPython, type BootstrapPythonResult } from '../../src/bootstrap-python/index.js';
import { hostProvides, hostProvidesSpec } from '../../src/bundle-diracos/closure.js';
import { HOST_PROVIDES_NAME } from '../../src/bundle-diracos/host-provides-rules.js';
import type { LoadedManifest } from '../../src/manifest/load.js';
import { hostProvidedByAll, isHostProvided } from '../../src/rules/host-libraries.js';
import { nodeExec } from '../../src/shared/exec.js';
import { DiracosError } from '../../src/shared/errors.js';
import { exampleContext, exampleManifest, withExampleLock } from '../support/example.js';

const IMAGES = ['bullseye', 'bookworm', 'trixie'].map((s) => `localhost/diracos-platform:${s}`);
const MODULES = 'import ssl, sqlite3, ctypes, zlib, bz2, lzma, uuid, readline, curses, _hashlib';

describe('bootstrap-python: CPython 3.11 from Debian sources, relocatable', () => {
  let ctx: Awaited<ReturnType<typeof exampleContext>>;
  let m: LoadedManifest;
  let first: BootstrapPythonResult;
  let scratch: string;
  /** The empty root dnf installed into, at a path with a space and a random part. */
  let root: string;

  beforeAll(async () => {
    ctx = await exampleContext();
    m = await exampleManifest();
    first = await withExampleLock(() => bootstrapPython(ctx, m));
    scratch = await mkdtemp(join(tmpdir(), 'bootstrap python '));
    root = join(scratch, `root ${Math.random().toString(36).slice(2)}`);
    // dnf from our repository only; a virtual package stands in for what every host has (glibc: the
    // bundle's own host policy), so everything else must come from the repository.
    const binaries = join(m.repository, m.arch);
    const rpms = (await readdir(binaries)).filter((f) => f.endsWith('.rpm')).map((f) => join(binaries, f));
    const requires = (await nodeExec('rpm', ['-qp', '--requires', ...rpms])).stdout.split('\n').filter(Boolean);
    const top = join(scratch, 'host-provides');
    await mkdir(join(top, 'SPECS'), { recursive: true });
    await writeFile(join(top, 'SPECS/host.spec'), hostProvidesSpec(hostProvides({ requires, hostSonames: hostProvidedByAll(['debian']), ignored: [], graftable: [], hostPackages: [] })));
    await nodeExec('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${top}`, '--define', `_rpmdir ${top}`, join(top, 'SPECS/host.spec')]);
    const provides = join(top, 'noarch', `${HOST_PROVIDES_NAME}-1-1.noarch.rpm`);
    await nodeExec('dnf', [
      '-q', '-y', `--installroot=${root}`, '--setopt=reposdir=/dev/null', '--nogpgcheck', '--setopt=install_weak_deps=False',
      '--releasever=0', `--repofrompath=diracos,file://${join(m.repository, m.arch)}`, 'install', provides, 'diracos-python3.11',
    ]);
  });
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('the RPM provides python(abi) = 3.11 and the interpreter', async () => {
    const provides = (await nodeExec('rpm', ['-qp', '--provides', first.rpm])).stdout.split('\n');
    expect(provides).toContain('python(abi) = 3.11');
    expect(provides.some((p) => p.startsWith('python3 = 3.11.2'))).toBe(true);
    expect(first.version).toBe('3.11.2');
    expect(first.size).toBeGreaterThan(10_000_000);
  });

  it.each(IMAGES)('the installed root runs unchanged on %s: stdlib extensions and pip', async (image) => {
    const py = `/mnt/${root.slice(scratch.length + 1)}/usr/bin/python3`;
    const run = await ctx.runtime.run({
      image,
      mounts: [{ source: scratch, target: '/mnt', readOnly: true }],
      network: false,
      command: ['bash', '-c', `unset LD_LIBRARY_PATH; "${py}" -c '${MODULES}; print(ssl.OPENSSL_VERSION)' && "${py}" -m pip --version`],
    });
    expect(run.stdout).toMatch(/^OpenSSL 3\.0\.17 /m);
    // pure-Python site-packages live under lib/, as upstream's sysconfig puts them
    expect(run.stdout).toMatch(/^pip \d+\.\d+.* from \/mnt\/root [^/]+\/usr\/lib\/python3\.11\/site-packages\/pip /m);
  });

  it('ldd of the interpreter and every extension module finds nothing outside the root but glibc', async () => {
    const inRoot = `/mnt/${root.slice(scratch.length + 1)}`;
    const dynload = join(root, 'usr/lib64/python3.11/lib-dynload');
    const modules = (await readdir(dynload)).filter((f) => f.endsWith('.so')).map((f) => `${inRoot}/usr/lib64/python3.11/lib-dynload/${f}`);
    expect(modules.length).toBeGreaterThan(40);
    const files = [`${inRoot}/usr/bin/python3.11`, ...modules];
    const run = await ctx.runtime.run({
      image: IMAGES[0]!,
      mounts: [{ source: scratch, target: '/mnt', readOnly: true }],
      network: false,
      command: ['bash', '-c', 'for f in "$@"; do echo "== $f"; ldd "$f"; done', 'ldd', ...files],
    });
    const outside: string[] = [];
    let current = '';
    for (const line of run.stdout.split('\n')) {
      if (line.startsWith('== ')) current = line.slice(3);
      const m = /^\s*(\S+) => (.*?) \(0x/.exec(line) ?? /^\s*(\S+) => (not found)/.exec(line);
      if (!m) continue;
      const [, soname, path] = m;
      if (path === 'not found' || (!path!.startsWith(inRoot) && !isHostProvided('debian', soname!))) outside.push(`${current}: ${soname} => ${path}`);
    }
    expect(outside).toEqual([]);
    // found through the module's RPATH, relative to its own location
    expect(run.stdout).toContain(`libssl.so.3 => ${inRoot}/usr/lib64/python3.11/lib-dynload/../../libssl.so.3`);
  });

  it('a re-run with nothing changed compiles nothing', async () => {
    ctx.reporter.lines.length = 0;
    const again = await withExampleLock(() => bootstrapPython(ctx, m));
    expect(again).toMatchObject({ cacheHit: true, key: first.key, rpm: first.rpm });
    expect(ctx.reporter.messages('info').filter((l) => l.includes('building'))).toEqual([]);
  });

  it('a failing configure (no compiler) is a clear error and leaves the repository as it was', async () => {
    const index = await readFile(join(m.repository, 'diracos-index.json'), 'utf8');
    const broken: LoadedManifest = { ...m, manifest: { ...m.manifest, python: { ...m.manifest.python, configureOptions: ['CC=/no/such/compiler'] } } };
    const error = await withExampleLock(() => bootstrapPython(ctx, broken)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiracosError);
    expect(String((error as Error).message)).toMatch(/diracos-python3\.11/);
    expect(String((error as Error).message)).toMatch(/\.log/);
    expect(await readFile(join(m.repository, 'diracos-index.json'), 'utf8')).toBe(index);
  });

  it('a wrong source checksum is a clear error naming it, before anything builds', async () => {
    const source = { ...m.manifest.python.source, sha256: '0'.repeat(64) };
    const broken: LoadedManifest = { ...m, manifest: { ...m.manifest, python: { ...m.manifest.python, source } } };
    const error = await withExampleLock(() => bootstrapPython(ctx, broken)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiracosError);
    expect(String((error as Error).message)).toMatch(/python3\.11.*0{64}|0{64}.*python3\.11/s);
  });
});
