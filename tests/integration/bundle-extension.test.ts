/**
 * DIRACOS extensions as v1's users made them (a base tarball plus extra Python packages), through the
 * two ways in: `diracos bundle --extends` and the bundle-diracos action's `extends` input, both run from
 * their bundles (dist/, or DIRACOS_DIST) on the example's cached repository and work folder.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { nodeExec } from '../../src/shared/exec.js';
import { DIST, runActionBundle, type ActionRun } from '../support/action-runner.js';
import { exampleContext, exampleManifestFile, TEST_CACHE, withExampleLock } from '../support/example.js';

const WORK = join(TEST_CACHE, 'example', 'work');
const OUT = join(WORK, 'bundle-extension', 'LHCb', 'out');
const TARBALL = 'LHCbdiracos-0.1.0-x86_64.tar.gz';

/** `node <dist>/cli/index.js ...`, asynchronous (a long bundle must not block the test worker). */
function diracos(...args: string[]): Promise<{ status: number | null; output: string }> {
  const child = spawn(process.execPath, [join(DIST, 'cli', 'index.js'), ...args]);
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((done) => child.on('close', (status) => done({ status, output })));
}

describe('an extension of the example, from the CLI and from the action', () => {
  let scratch: string;
  let extensionManifest: string;
  let base: string;
  let cli: { status: number | null; output: string };
  let cliSha256: string;
  let action: ActionRun;
  let unnamed: ActionRun;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'bundle-extension-'));
    const manifest = await exampleManifestFile();
    // The example, adding a wheel of the build platform's wheelhouse instead of its own packages.
    const doc = parseDocument(await readFile(manifest, 'utf8'));
    doc.setIn(['bundle', 'pip', 'requirements'], ['wheel']);
    extensionManifest = join(dirname(manifest), 'extension.yaml');
    await writeFile(extensionManifest, doc.toString());
    const common = ['--workdir', WORK, '--runtime', 'podman', '--jobs', '2'];
    const where = { workspace: dirname(manifest), scratch };
    await withExampleLock(async () => {
      // the base: the example's tarball (made once, then reused for its content key)
      const bundled = await diracos('bundle', '--manifest', manifest, ...common);
      expect(bundled.status, bundled.output).toBe(0);
      base = join(WORK, 'bundle-diracos', 'out', 'diracos-0.1.0-x86_64.tar.gz');
      cli = await diracos('bundle', '--manifest', extensionManifest, ...common, '--extends', base, '--extension-name', 'LHCb');
      cliSha256 = (await readFile(join(OUT, `${TARBALL}.sha256`), 'utf8')).split(' ')[0]!;
      const inputs = { manifest: extensionManifest, workdir: WORK, runtime: 'podman', jobs: '2' };
      unnamed = await runActionBundle('bundle-diracos', { ...inputs, extends: base }, where);
      action = await runActionBundle('bundle-diracos', { ...inputs, extends: base, 'extension-name': 'LHCb' }, where);
    });
  });
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('diracos bundle --extends makes <name>diracos-<version>-<arch>.tar.gz; its versions.txt lists what it adds', async () => {
    expect(cli.status, cli.output).toBe(0);
    expect(cli.output).toContain('extension LHCb adds: wheel==0.34.2');
    expect(cli.output).toContain(join(OUT, TARBALL));
    // only what the base does not have: the base's RPMs and its own pip packages are not repeated
    expect(await readFile(join(OUT, 'versions.txt'), 'utf8')).toBe('# pip\nwheel==0.34.2\n');
  });

  it('inside, versions.txt says what the tree holds: the base RPMs and every pip package', async () => {
    const { stdout } = await nodeExec('tar', ['-xzOf', join(OUT, TARBALL), `LHCbdiracos-0.1.0-x86_64/versions.txt`]);
    const [rpms, pip] = stdout.split('# pip\n');
    expect(rpms).toMatch(/^diracos-python3\.11-3\.11\.2-1\.x86_64$/m);
    expect(pip!.trim().split('\n')).toEqual(expect.arrayContaining(['diracos-example==0.1.0', 'diracos-example-ext==0.1.0', 'wheel==0.34.2']));
  });

  it('the action with extends makes the same tarball, byte for byte, under the extension artifact name', () => {
    expect(action.status, action.stdout).toBe(0);
    expect(action.outputs).toMatchObject({ 'tarball-name': TARBALL, tarball: join(OUT, TARBALL), sha256: cliSha256, 'artifact-name': 'LHCbDIRACOS-0.1.0' });
    expect(basename(action.outputs.tarball!)).toBe(TARBALL);
  });

  it('the action names a missing extension-name before doing anything', () => {
    expect(unnamed.status).toBe(1);
    expect(unnamed.stdout).toContain("::error::input 'extends': needs input 'extension-name' (the extension's name, prepended to its tarball's)");
    expect(unnamed.outputs).toEqual({});
  });

  it('the extension runs on a platform from any folder: its packages and the base ones import from the bundle', async () => {
    const ctx = await exampleContext();
    const r = await ctx.runtime.run({
      image: 'localhost/diracos-platform:bookworm',
      mounts: [{ source: OUT, target: '/ext', readOnly: true }],
      network: false,
      command: ['bash', '-c', `set -e; d="/opt/an ext"; mkdir -p "$d"; tar -xzf /ext/${TARBALL} -C "$d"; . "$d/LHCbdiracos-0.1.0-x86_64/diracosrc"; python3 -c "import wheel, diracos_example, sys; print(sys.prefix, wheel.__version__)"`],
    });
    expect(r.stdout.trim()).toBe('/opt/an ext/LHCbdiracos-0.1.0-x86_64/usr 0.34.2');
  });
});
