/**
 * test-platforms on real podman with the local Debian platform images. The fixture bundle is built
 * in a bullseye container (glibc 2.31): a shipped library, a program using it through
 * RPATH $ORIGIN, and Debian's python3.9 relocated into the bundle. Negative variants add one fault each.
 */
import { makeTestContext } from '../support/context.js';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedManifest } from '../../src/manifest/load.js';
import type { Manifest, PlatformSpec } from '../../src/manifest/types.js';
import { MemoryReporter } from '../../src/reporting/reporter.js';
import { createRuntime } from '../../src/runtime/detect.js';
import type { Runtime } from '../../src/runtime/types.js';
import type { Context } from '../../src/shared/context.js';
import { nodeExec } from '../../src/shared/exec.js';
import { testPlatforms } from '../../src/test-platforms/index.js';
import type { LddRecord } from '../../src/test-platforms/platform-checks.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/test-platforms');
const IMAGE = (suite: string) => `localhost/diracos-platform:${suite}`;
const SUITES = ['bullseye', 'bookworm', 'trixie'];
/** The fixture builder: bullseye's compiler, libyaml (never shipped), python3.9 and patchelf. */
const BUILDER_SETUP = [
  'export DEBIAN_FRONTEND=noninteractive && apt-get update -q && apt-get install -y -q --no-install-recommends libyaml-dev python3.9-minimal patchelf && apt-get clean && rm -rf /var/lib/apt/lists/*',
];
const GOOD_TESTS = { modules: ['json', 'sys', 'diracos_fixture'], commands: ['hello', 'run-hello', 'test "$(python3 -c "import diracos_fixture; print(diracos_fixture.VALUE)")" = 42'] };

let work: string;
let runtime: Runtime;
/** The bundle tree (diracos-1.0/) and the extras built beside it. */
let tree: string;

function context(reporter: MemoryReporter): Promise<Context> {
  return makeTestContext({ workdir: join(work, 'workdir'), downloadCache: join(work, 'dl'), reporter, runtime });
}

function platform(name: string, extra: Partial<PlatformSpec> = {}): PlatformSpec {
  return { name, image: IMAGE(name.split('-')[0]), family: 'debian', ...extra };
}

function manifestOf(platforms: PlatformSpec[], tests: Manifest['tests'], dir = work): LoadedManifest {
  const manifest = { version: '1.0', repository: 'repo', python: { version: '3.9.2', source: { path: 'x' } }, build: { platform: platforms[0].name, packageGroups: [] }, platforms, tests } as Manifest;
  return { file: join(dir, 'diracos.yaml'), dir, manifest, packages: [], repository: join(dir, 'repo'), buildPlatform: platforms[0], arch: 'x86_64' };
}

/** A tarball of the good tree with `change` applied to a copy of it (paths relative to the bundle root). */
function tarball(name: string, change: (root: string) => void = () => undefined, compression: 'gz' | 'zst' = 'gz'): string {
  const dir = join(work, name);
  cpSync(join(tree, 'diracos-1.0'), join(dir, 'diracos-1.0'), { recursive: true, verbatimSymlinks: true });
  change(join(dir, 'diracos-1.0'));
  const file = join(dir, `diracos-1.0-x86_64.tar.${compression}`);
  execFileSync('tar', ['-C', dir, compression === 'gz' ? '-z' : '--zstd', '--transform', 's,^diracos-1.0,diracos-1.0-x86_64,', '-cf', file, 'diracos-1.0']);
  return file;
}

async function run(tarballPath: string, m: LoadedManifest, platforms?: string[], o: { outDir?: string; force?: boolean } = {}) {
  const reporter = new MemoryReporter();
  const outDir = o.outDir ?? join(work, `out-${Math.random().toString(36).slice(2)}`);
  const result = await testPlatforms(await context(reporter), m, { tarball: tarballPath, outDir, platforms, force: o.force });
  return { result, reporter, outDir };
}

function check(result: Awaited<ReturnType<typeof testPlatforms>>, platformName: string, checkName: string) {
  const c = result.platforms.find((p) => p.name === platformName)?.checks.find((x) => x.check === checkName);
  if (!c) throw new Error(`no ${checkName} on ${platformName}`);
  return c;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'test-platforms-it-'));
  runtime = await createRuntime(nodeExec, 'podman');
  tree = join(work, 'tree');
  execFileSync('mkdir', ['-p', tree]);
  const builder = await runtime.prepareImage(IMAGE('bullseye-build'), BUILDER_SETUP);
  await runtime.run({
    image: builder,
    command: ['bash', '/src/build-fixture.sh', '/out'],
    mounts: [
      { source: FIXTURES, target: '/src', readOnly: true },
      { source: tree, target: '/out' },
    ],
    network: false,
  });
  // Built on this host (glibc >= 2.34), so it needs GLIBC_2.34 and GLIBC_2.35.
  execFileSync('gcc', ['-o', join(tree, 'extra', 'new-glibc'), join(FIXTURES, 'new-glibc.c')]);
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('test-platforms on bullseye, bookworm and trixie', () => {
  let good: string;
  let goodRun: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    good = tarball('good');
    goodRun = await run(good, manifestOf(SUITES.map((s) => platform(s)), GOOD_TESTS));
  });

  it('passes every check on every platform', () => {
    const { result, reporter, outDir } = goodRun;
    expect(reporter.messages('error')).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.platforms.map((p) => p.name)).toEqual(['static', ...SUITES]);
    for (const p of result.platforms) {
      expect(p.ok).toBe(true);
      for (const c of p.checks) expect(c.failed, `${p.name} ${c.check}`).toBe(0);
    }
    for (const s of SUITES) {
      expect(check(result, s, 'ldd').passed).toBeGreaterThanOrEqual(3);
      expect(check(result, s, 'modules').passed).toBe(3);
      expect(check(result, s, 'commands').passed).toBe(3);
    }
    const junit = readFileSync(result.junit, 'utf8');
    expect(result.junit).toBe(join(outDir, 'junit.xml'));
    for (const s of ['static', ...SUITES]) expect(junit).toContain(`<testsuite name="${s}"`);
    expect(junit).not.toContain('<failure');
    expect(reporter.tables[0].rows.map((r) => r[0])).toEqual(['static', ...SUITES]);
  });

  it('a re-run of the unchanged tarball on unchanged platforms tests nothing and says so; force, or a changed test, tests again', async () => {
    const m = manifestOf(SUITES.map((s) => platform(s)), GOOD_TESTS);
    const again = await run(good, m, undefined, { outDir: goodRun.outDir });
    expect(again.result.ok).toBe(true);
    expect(again.result.platforms.map((p) => [p.name, p.skipped])).toEqual(['static', ...SUITES].map((n) => [n, true]));
    // the recorded results, the same as the run that passed
    expect(again.result.platforms.map((p) => p.checks)).toEqual(goodRun.result.platforms.map((p) => p.checks));
    const table = again.reporter.tables[0]!;
    expect(table.rows.map((r) => r[3])).toEqual(['static', ...SUITES].map(() => expect.stringMatching(/^skipped, passed \d{4}-\d\d-\d\d \d\d:\d\d UTC$/)));
    expect(table.notes!.join('\n')).toMatch(/^skipped: static, bullseye, bookworm, trixie: .*force tests them again/m);
    expect(readFileSync(again.result.junit, 'utf8')).toContain('<testsuite name="trixie"');

    const forced = await run(good, m, ['bookworm'], { outDir: goodRun.outDir, force: true });
    expect(forced.result.platforms.map((p) => [p.name, p.skipped])).toEqual([['static', false], ['bookworm', false]]);

    const changed = manifestOf(SUITES.map((s) => platform(s)), { ...GOOD_TESTS, commands: [...GOOD_TESTS.commands, 'true'] });
    const retested = await run(good, changed, ['bookworm'], { outDir: goodRun.outDir });
    expect(retested.result.platforms.map((p) => [p.name, p.skipped])).toEqual([['static', false], ['bookworm', false]]);
    expect(check(retested.result, 'bookworm', 'commands').passed).toBe(4);
  });

  it.each(SUITES)('its ldd results match ldd run by hand in %s', async (suite) => {
    const records = JSON.parse(readFileSync(join(goodRun.outDir, suite, 'ldd.json'), 'utf8')) as LddRecord[];
    const files = records.map((r) => r.file);
    expect(files).toEqual(expect.arrayContaining(['usr/bin/hello', 'usr/bin/python3.9', 'usr/lib64/libfix.so.1']));
    const script = [
      'set -e; d="/tmp/by hand"; mkdir -p "$d"; tar -xzf /t.tar.gz -C "$d"; cd "$d/diracos-1.0-x86_64"',
      'for f in "$@"; do echo "@@ $f"; ldd "$f" 2>&1 || true; done',
    ].join('\n');
    const r = execFileSync('podman', ['run', '--rm', '-v', `${good}:/t.tar.gz:ro`, IMAGE(suite), 'bash', '-c', script, 'by-hand', ...files], { encoding: 'utf8' });
    // Independent reading: "name => path (addr)", "path (addr)", "name (addr)", "name => not found".
    const byHand = new Map<string, Array<{ name: string; path: string | null }>>();
    let current = '';
    for (const line of r.split('\n')) {
      if (line.startsWith('@@ ')) byHand.set((current = line.slice(3)), []);
      else if (line.includes('(0x') || line.includes('not found')) {
        const [left, right] = line.trim().split(' => ');
        const name = left.replace(/ \(0x.*$/, '');
        const target = right === undefined ? (name.startsWith('/') ? name : null) : right === 'not found' ? null : right.replace(/ \(0x[0-9a-f]+\)$/, '');
        byHand.get(current)!.push({ name, path: target?.replace('/tmp/by hand/diracos-1.0-x86_64/', '$DIRACOS/') ?? null });
      }
    }
    expect(Object.fromEntries(records.map((rec) => [rec.file, rec.libs]))).toEqual(Object.fromEntries(byHand));
  });
});

describe('faults, each named by its file', () => {
  it('a program needing a library neither shipped nor on the platform', async () => {
    const t = tarball('missing-lib', (root) => cpSync(join(tree, 'extra', 'yaml-user'), join(root, 'usr/bin/yaml-user')));
    const { result } = await run(t, manifestOf([platform('bookworm')], {}));
    expect(result.ok).toBe(false);
    expect(check(result, 'bookworm', 'host-libraries').failures).toEqual([expect.stringMatching(/^usr\/bin\/yaml-user: needs libyaml-0\.so\.2/)]);
    expect(check(result, 'bookworm', 'ldd').failures).toEqual(['usr/bin/yaml-user: libyaml-0.so.2 not found']);
  });

  it('a known missing library passes; one that vanished is a warning', async () => {
    const t = tarball('known-missing', (root) => cpSync(join(tree, 'extra', 'yaml-user'), join(root, 'usr/bin/yaml-user')));
    const { result, reporter } = await run(t, manifestOf([platform('bookworm', { knownMissing: ['libyaml-0.so.2', 'libgone.so.1'] })], {}));
    expect(result.ok).toBe(true);
    expect(check(result, 'bookworm', 'ldd').failed).toBe(0);
    expect(reporter.messages('warning')).toEqual([
      expect.stringContaining('libgone.so.1 is in knownMissing of bookworm but no file misses it any more'),
      // The minimal image has no CA certificates to check TLS against (test-platforms-tls.test.ts does).
      expect.stringMatching(/^bookworm tls: TLS not checked: update-ca-certificates is not in the image/),
    ]);
  });

  it('an ELF needing a newer glibc than bullseye has (zstd tarball)', async () => {
    const t = tarball('new-glibc', (root) => cpSync(join(tree, 'extra', 'new-glibc'), join(root, 'usr/bin/new-glibc')), 'zst');
    const { result } = await run(t, manifestOf([platform('bullseye'), platform('trixie')], {}));
    expect(result.ok).toBe(false);
    expect(check(result, 'bullseye', 'glibc-ceiling').failures).toEqual([expect.stringMatching(/^usr\/bin\/new-glibc: needs GLIBC_2\.35 from libc\.so\.6, newer than bullseye provides \(glibc 2\.31/)]);
    expect(check(result, 'bullseye', 'ldd').failures).toEqual(expect.arrayContaining([expect.stringMatching(/^usr\/bin\/new-glibc: version GLIBC_2\.3[45] not found \(required by \$DIRACOS\/usr\/bin\/new-glibc\)$/)]));
    expect(result.platforms.find((p) => p.name === 'trixie')!.ok).toBe(true);
  });

  it('a module that does not import, and one imported from outside the bundle', async () => {
    const t = tarball('modules');
    const leaky = platform('bullseye', { setup: ['mkdir -p /opt/leak && echo "X = 1" > /opt/leak/diracos_leaky.py'], env: { PYTHONPATH: '/opt/leak' } });
    const { result } = await run(t, manifestOf([leaky], { modules: ['diracos_fixture', 'diracos_broken', 'diracos_leaky'] }));
    expect(result.ok).toBe(false);
    const modules = check(result, 'bullseye', 'modules');
    expect(modules.passed).toBe(1);
    expect(modules.failures).toEqual([
      expect.stringMatching(/^diracos_broken: import failed \(exit 1\):[\s\S]*broken on purpose/),
      'diracos_leaky: imported from /opt/leak/diracos_leaky.py, outside the bundle',
    ]);
  });

  it('links and shebangs that do not relocate', async () => {
    const t = tarball('links', (root) => {
      symlinkSync('/usr/bin/hello', join(root, 'usr/bin/abs-link'));
      symlinkSync('../../../outside', join(root, 'usr/bin/escaping-link'));
      execFileSync('ln', [join(root, 'usr/bin/run-hello'), join(root, 'usr/bin/run-hello-again')]);
      writeFileSync(join(root, 'usr/bin/built-here'), '#!/builddir/build/BUILDROOT/usr/bin/python3\nprint(1)\n', { mode: 0o755 });
    });
    const { result } = await run(t, manifestOf([platform('bookworm')], {}));
    expect(result.ok).toBe(false);
    expect(check(result, 'static', 'symlinks').failures).toEqual([
      "usr/bin/abs-link: absolute symlink to '/usr/bin/hello' (breaks once the bundle is moved)",
      "usr/bin/escaping-link: symlink to '../../../outside' leaves the bundle",
    ]);
    expect(check(result, 'static', 'hardlinks').failures.map((f) => f.split(':')[0]).sort()).toEqual(['usr/bin/run-hello', 'usr/bin/run-hello-again']);
    expect(check(result, 'static', 'shebangs').failures).toEqual(["usr/bin/built-here: shebang '#!/builddir/build/BUILDROOT/usr/bin/python3': points into a build directory"]);
    expect(result.platforms.find((p) => p.name === 'bookworm')!.ok).toBe(true);
  });

  it("applies the platform's env: a preload that does not exist breaks ldd and commands see it", async () => {
    const t = tarball('env');
    const broken = platform('trixie', { env: { LD_PRELOAD: '/nonexistent/libdiracos-broken.so', PATH: '/nowhere' } });
    const { result } = await run(t, manifestOf([broken], { commands: ['hello'] }));
    expect(result.ok).toBe(false);
    const ldd = check(result, 'trixie', 'ldd');
    expect(ldd.passed).toBe(0);
    expect(ldd.failures).toEqual(expect.arrayContaining([expect.stringMatching(/^usr\/bin\/hello: ldd exited with 127/)]));
    expect(check(result, 'trixie', 'commands').failures).toEqual([expect.stringMatching(/^hello: exited with 127[\s\S]*hello: command not found/)]);
  });

  it('a preload that does not exist is reported by ldd per file', async () => {
    const t = tarball('preload');
    const { result } = await run(t, manifestOf([platform('bookworm', { env: { LD_PRELOAD: '/nonexistent/libdiracos-broken.so' } })], {}));
    expect(result.ok).toBe(false);
    expect(check(result, 'bookworm', 'ldd').failures).toEqual(
      expect.arrayContaining(['usr/bin/hello: cannot preload /nonexistent/libdiracos-broken.so (from LD_PRELOAD)']),
    );
  });
});

describe('required and allowed-to-fail platforms', () => {
  let t: string;
  let m: LoadedManifest;
  beforeAll(() => {
    t = tarball('allowed', (root) => cpSync(join(tree, 'extra', 'new-glibc'), join(root, 'usr/bin/new-glibc')));
    m = manifestOf([platform('bookworm'), platform('bullseye-optional', { required: false, glibc: '2.31' }), platform('bullseye-required', { glibc: '2.31' })], {});
  });

  it('a failing allowed-to-fail platform gives success with a warning', async () => {
    const { result, reporter } = await run(t, m, ['bookworm', 'bullseye-optional']);
    expect(result.ok).toBe(true);
    const optional = result.platforms.find((p) => p.name === 'bullseye-optional')!;
    expect(optional.ok).toBe(false);
    expect(optional.required).toBe(false);
    expect(reporter.messages('error')).toEqual([]);
    expect(reporter.messages('warning')).toEqual(expect.arrayContaining([expect.stringMatching(/^bullseye-optional glibc-ceiling: usr\/bin\/new-glibc: .*\(allowed to fail\)$/)]));
  });

  it('a failing required platform fails the stage', async () => {
    const { result, reporter } = await run(t, m, ['bullseye-required']);
    expect(result.ok).toBe(false);
    expect(reporter.messages('error')).toEqual(expect.arrayContaining([expect.stringMatching(/^bullseye-required glibc-ceiling: usr\/bin\/new-glibc/)]));
    expect(readFileSync(result.junit, 'utf8')).toMatch(/<testcase classname="bullseye-required.glibc-ceiling" name="usr\/bin\/new-glibc">\s*<failure/);
  });

  it('names an unknown platform', async () => {
    await expect(run(t, m, ['centos5'])).rejects.toThrow("test-platforms: no platform 'centos5' in ");
  });
});

describe('what DIRACOS v1 checked: known broken links, modules allowed to fail, libraries left to the host', () => {
  it('compares brokenLinks.txt both ways, allows a module to fail on one platform, and checks hostLibraries.txt there', async () => {
    const t = tarball('v1', (root) => {
      writeFileSync(join(root, 'brokenLinks.txt'), 'usr/share/known -> /opt/known\nusr/share/new -> /opt/new\n');
      // as the bundle stage lists a library of an ignored package: the ELF needing it, and the file
      cpSync(join(tree, 'extra', 'yaml-user'), join(root, 'usr/bin/yaml-user'));
      writeFileSync(join(root, 'hostLibraries.txt'), 'libyaml-0.so.2 libyaml\n');
    });
    const tests = { modules: ['diracos_fixture', 'diracos_broken', 'json'], knownBrokenLinks: ['usr/share/known', 'usr/share/fixed'] };
    const { result, reporter } = await run(t, manifestOf([platform('bookworm', { modulesAllowedToFail: ['diracos_broken', 'json'] })], tests));
    expect(result.ok).toBe(false);
    expect(check(result, 'static', 'broken-links')).toMatchObject({
      passed: 1,
      failures: ['usr/share/new: removed by the bundle stage (brokenLinks.txt: usr/share/new -> /opt/new) and not in tests.knownBrokenLinks'],
    });
    // left to the host: not a failure of the static check nor of ldd, but of the platform, by name
    expect(check(result, 'bookworm', 'host-libraries').failed).toBe(0);
    expect(check(result, 'bookworm', 'ldd').failed).toBe(0);
    expect(check(result, 'bookworm', 'host-provided').failures).toEqual([
      'libyaml-0.so.2: left to the host (bundle.ignoredPackages: libyaml), but bookworm does not provide it (ldd: not found, for usr/bin/yaml-user)',
    ]);
    expect(check(result, 'bookworm', 'modules')).toMatchObject({ passed: 2, failed: 0 });
    const warnings = reporter.messages('warning');
    expect(warnings).toContain('static broken-links: usr/share/fixed is in tests.knownBrokenLinks but no longer broken (not in brokenLinks.txt): remove it from the list');
    expect(warnings).toContainEqual(expect.stringMatching(/^bookworm modules: diracos_broken: import failed \(exit 1\), allowed on bookworm \(modulesAllowedToFail\)[\s\S]*broken on purpose/));
    expect(warnings).toContain('bookworm modules: json is in modulesAllowedToFail of bookworm but imports there: remove it from the list');
  });
});

it('leaves nothing behind in its workdir', () => {
  const dir = join(work, 'workdir', 'test-platforms');
  expect(existsSync(dir) ? execFileSync('ls', ['-A', dir], { encoding: 'utf8' }) : '').toBe('');
});
