/**
 * The real DIRACOS (diracos.yaml at the repository root) as far as this machine can build it: its
 * packages whose sources Debian has, built with their own specs and sources on the bullseye stand-in
 * (the example's build platform) instead of CC7, then bundled and tested there. That proves the specs
 * of the root, the python3-devel resolution against our CPython and that libxml2's and libxslt's Python
 * 3 bindings import with the bundled Python. What needs CC7, the vault, EPEL or PyPI runs on GitHub
 * (README: "Verified on GitHub only").
 *
 * The derived manifest (in the test cache) keeps the root's python section, the root's spec packages
 * with their specs, patches, options and sources as they are; only a source the root can take from its
 * upstream url alone (Debian repacks it: zlib, sqlite, libxml2) comes from Debian's repack here, which
 * the spec's prep unpacks the same way. CPython's libraries are the example's packages under the same
 * keys (same specs, same bytes), so the example's cached repository seeds this one and only libxml2,
 * libxslt and curl compile on a first run.
 */
import { mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { bootstrapPython, packagesWithPython } from '../../src/bootstrap-python/index.js';
import { buildRpms, type BuildPlan, type BuildRpmsResult } from '../../src/build-rpms/index.js';
import { mergeRepositories } from '../../src/build-rpms/merge.js';
import { bundleDiracos, type BundleResult } from '../../src/bundle-diracos/index.js';
import { loadManifest, type LoadedManifest } from '../../src/manifest/load.js';
import type { DownloadSource, Manifest, PackageSpec, PlatformSpec } from '../../src/manifest/types.js';
import { readIndex, writeIndex } from '../../src/repo/index-file.js';
import { repoLayout } from '../../src/repo/layout.js';
import { nodeExec } from '../../src/shared/exec.js';
import { testPlatforms, type TestPlatformsResult } from '../../src/test-platforms/index.js';
import { exampleContext, exampleManifest, TEST_CACHE, withExampleLock } from '../support/example.js';
import { makeTestContext } from '../support/context.js';

const CHECKOUT = join(import.meta.dirname, '../..');
const ROOT_FILE = join(CHECKOUT, 'diracos.yaml');
const DIR = join(TEST_CACHE, 'root-manifest');

/**
 * Debian's repacks of the upstream files the root takes by url alone: not upstream's bytes (so not an
 * apt alternative of the root), the same tree less what the build never reads. zlib and sqlite are the
 * example's sources; libxml2 is not in the example.
 */
const REPACKS: Readonly<Record<string, DownloadSource | 'example'>> = {
  zlib: 'example', // 1:1.2.13.dfsg-1: without contrib/ada
  sqlite: 'example', // Debian's tar.xz of upstream's source tree
  // 2.9.14+dfsg: without test/ and result/
  libxml2: { apt: 'libxml2', version: '2.9.14+dfsg-1.3~deb12u4', sha256: '4fe913dec8b1ab89d13b489b419a8203176ea39e931eaa0d25b17eafb9c279e9' },
};

/** CPython's libraries and CPython: what the example's repository holds under the same keys. */
const FROM_EXAMPLE = ['zlib', 'bzip2', 'xz', 'libffi', 'openssl', 'sqlite', 'ncurses', 'readline', 'libuuid', 'diracos-python3.11'];

interface Derived {
  file: string;
  /** Root package name -> how its source came here. */
  sourceOf: Map<string, 'root' | 'example' | 'repack'>;
}

/** The root manifest moved to the bullseye stand-in, as the module comment says. */
async function deriveManifest(root: LoadedManifest, example: LoadedManifest): Promise<Derived> {
  const raw = parse(await readFile(root.file, 'utf8')) as Manifest;
  const exampleRaw = parse(await readFile(example.file, 'utf8')) as Manifest;
  const sourceOf = new Map<string, 'root' | 'example' | 'repack'>();
  const groups = raw.build.packageGroups
    .map((group) => ({
      ...group,
      packages: group.packages
        .filter((p) => p.spec)
        .map((p): PackageSpec => {
          const resolved = root.packages.find((r) => r.name === p.name)!;
          const upstream = p.sources![0] as DownloadSource;
          let sources = p.sources!;
          if (!upstream.apt) {
            const repack = REPACKS[p.name];
            if (!repack) throw new Error(`${p.name}: the root gives only an upstream url and no Debian repack is declared here`);
            sources = [repack === 'example' ? (example.packages.find((e) => e.name === p.name)!.sources[0] as DownloadSource) : repack];
            sourceOf.set(p.name, repack === 'example' ? 'example' : 'repack');
          } else sourceOf.set(p.name, 'root');
          return { ...p, spec: resolved.spec, patches: resolved.patches, sources };
        }),
    }))
    .filter((g) => g.packages.length > 0);
  // CC7 keeps its own libuuid; CPython on Debian needs ours: the example's package, as it is.
  const libuuid = example.packages.find((e) => e.name === 'libuuid')!;
  groups.push({ name: 'from-the-example', packages: [{ name: 'libuuid', spec: libuuid.spec, sources: libuuid.sources }] });
  const { pip: _pip, manualDependencies: _el, ...bundle } = raw.bundle ?? {};
  const bullseye = exampleRaw.platforms.find((p) => p.name === exampleRaw.build.platform) as PlatformSpec;
  const derived: Manifest = {
    version: raw.version,
    repository: join(DIR, 'repo'),
    allowPathsOutside: [join(CHECKOUT, 'specs'), join(CHECKOUT, 'patches'), join(CHECKOUT, 'examples/specs')],
    python: raw.python,
    build: { ...raw.build, backend: 'container', platform: bullseye.name, packageGroups: groups },
    bundle,
    platforms: [bullseye],
    tests: {
      modules: ['ssl', 'sqlite3', 'ctypes', 'zlib', 'bz2', 'lzma', 'uuid', 'readline', 'curses', 'libxml2', 'libxslt'],
      commands: [
        "curl --version | grep -q 'OpenSSL/3\\.0\\.17'",
        'xmllint --version',
        "python3 -c 'import libxml2, libxslt; d = libxml2.parseDoc(\"<a>ok</a>\"); print(d.getRootElement().content)' | grep -qx ok",
      ],
    },
  };
  const dir = join(DIR, 'manifest');
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'diracos.yaml');
  await writeFile(`${file}.tmp`, `# Derived by tests/integration/root-manifest.test.ts from ${ROOT_FILE}\n${stringify(derived)}`);
  await rename(`${file}.tmp`, file);
  return { file, sourceOf };
}

/**
 * The example's packages the derived manifest shares, merged into its repository: a view of the example's
 * repository whose index lists only those (the files are the example's, through links).
 */
async function seedFromExample(target: string, arch: string): Promise<void> {
  await withExampleLock(async () => {
    const ctx = await exampleContext();
    const m = await exampleManifest();
    await bootstrapPython(ctx, m);
    const view = join(DIR, 'example-view');
    await rm(view, { recursive: true, force: true });
    await mkdir(view, { recursive: true });
    const layout = repoLayout(m.repository, arch);
    for (const part of [arch, 'src', 'buildOnly']) await symlink(join(layout.root, part), join(view, part));
    const index = await readIndex(layout.index);
    const wanted = Object.fromEntries(Object.entries(index.packages).filter(([name]) => FROM_EXAMPLE.includes(name)));
    expect(Object.keys(wanted).sort()).toEqual([...FROM_EXAMPLE].sort());
    await writeIndex(repoLayout(view, arch).index, { ...index, packages: wanted });
    await mergeRepositories(nodeExec, target, [view], arch);
    await rm(view, { recursive: true, force: true });
  });
}

describe('the root manifest on the bullseye stand-in: its Debian-sourced packages', () => {
  let root: LoadedManifest;
  let derived: Derived;
  let m: LoadedManifest;
  let plan: BuildPlan;
  let rpms: BuildRpmsResult;
  let bundle: BundleResult;
  let tests: TestPlatformsResult;
  const started = Date.now();

  beforeAll(async () => {
    root = loadManifest(ROOT_FILE);
    derived = await deriveManifest(root, await exampleManifest());
    m = loadManifest(derived.file);
    await seedFromExample(m.repository, m.arch);
    const ctx = await makeTestContext({ workdir: join(DIR, 'work'), downloadCache: join(TEST_CACHE, 'downloads'), jobs: 2 });
    await bootstrapPython(ctx, m);
    // the plan of the run itself: keys, graph and what each package takes from our repository
    rpms = await buildRpms(ctx, m, { packages: await packagesWithPython(ctx, m), beforeBuild: async (p) => void (plan = p) });
    bundle = await bundleDiracos(ctx, m, { outDir: join(DIR, 'bundle') });
    tests = await testPlatforms(ctx, m, { tarball: bundle.tarball, outDir: join(DIR, 'tests'), force: true });
    console.log(`root-manifest: built ${rpms.packages.filter((p) => p.status === 'built').map((p) => p.name).join(', ') || 'nothing'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });
  afterAll(async () => {
    await rm(join(DIR, 'example-view'), { recursive: true, force: true });
  });

  it("builds the root's spec packages with the root's specs, options and sources; Debian's repacks only where the root has upstream's url alone", () => {
    expect(m.warnings ?? []).toEqual([]);
    const rootSpecs = root.packages.filter((p) => p.kind === 'spec');
    expect(rootSpecs.map((p) => p.name).sort()).toEqual(['bzip2', 'curl', 'libffi', 'libxml2', 'libxslt', 'ncurses', 'openssl', 'readline', 'sqlite', 'xz', 'zlib']);
    for (const r of rootSpecs) {
      const d = m.packages.find((p) => p.name === r.name)!;
      const { sources: _rs, group: _rg, ...rootOptions } = r;
      const { sources: _ds, group: _dg, ...derivedOptions } = d;
      expect(derivedOptions, r.name).toEqual(rootOptions);
      if (derived.sourceOf.get(r.name) === 'root') expect(d.sources, r.name).toEqual(r.sources);
    }
    expect(Object.fromEntries([...derived.sourceOf].filter(([, how]) => how !== 'root'))).toEqual({ zlib: 'example', sqlite: 'example', libxml2: 'repack' });
    expect(m.manifest.python).toEqual(root.manifest.python);
  });

  it('resolves python3-devel of libxml2 and libxslt to our CPython package', () => {
    for (const name of ['libxml2', 'libxslt']) {
      expect(plan.fromRepo.get(name), name).toContain('python3-devel');
      expect([...plan.graph.get(name)!.keys()], name).toContain('diracos-python3.11');
    }
    expect([...plan.graph.get('libxslt')!.keys()]).toContain('libxml2');
    expect([...plan.graph.get('curl')!.keys()].sort()).toEqual(['openssl', 'zlib']);
  });

  it("takes CPython and its libraries from the example's cache: the same specs and bytes give the same keys", async () => {
    const example = await readIndex(repoLayout(join(TEST_CACHE, 'example', 'repo'), m.arch).index);
    for (const name of FROM_EXAMPLE) expect(plan.keys.get(name), name).toBe(example.packages[name]?.key);
    const cached = new Set(rpms.packages.filter((p) => p.status === 'cached').map((p) => p.name));
    for (const name of FROM_EXAMPLE.filter((n) => n !== 'diracos-python3.11')) expect(cached.has(name), name).toBe(true);
  });

  it("the Python 3 bindings are built for our CPython, libcurl with our OpenSSL", async () => {
    const binary = repoLayout(m.repository, m.arch).binary;
    const requires = async (rpm: string) => (await nodeExec('rpm', ['-qp', '--requires', join(binary, rpm)])).stdout.split('\n');
    expect(await requires('python3-libxml2-2.9.14-1.x86_64.rpm')).toContain('python(abi) = 3.11');
    expect(await requires('python3-libxslt-1.1.35-1.x86_64.rpm')).toContain('python(abi) = 3.11');
    expect(await requires('libcurl-7.88.1-1.x86_64.rpm')).toContain('libssl.so.3()(64bit)');
  });

  it('bundles them, and on bullseye the bundled Python imports libxml2 and libxslt, and curl reports our OpenSSL', async () => {
    const versions = await readFile(bundle.files.find((f) => f.endsWith('versions.txt'))!, 'utf8');
    for (const nvra of ['python3-libxml2-2.9.14-1.x86_64', 'python3-libxslt-1.1.35-1.x86_64', 'libcurl-7.88.1-1.x86_64', 'curl-7.88.1-1.x86_64']) {
      expect(versions).toMatch(new RegExp(`^${nvra.replace(/[.+]/g, '\\$&')}$`, 'm'));
    }
    expect(tests.ok).toBe(true);
    const bullseye = tests.platforms.find((p) => p.name === 'bullseye')!;
    expect(bullseye).toMatchObject({ ok: true, skipped: false });
    const byCheck = Object.fromEntries(bullseye.checks.map((c) => [c.check, c]));
    expect(Object.keys(byCheck)).toEqual(expect.arrayContaining(['modules', 'commands']));
    for (const c of bullseye.checks) expect(c.failures, c.check).toEqual([]);
    expect(byCheck.modules!.passed).toBe(11);
    expect(byCheck.commands!.passed).toBe(3);
  });
});
