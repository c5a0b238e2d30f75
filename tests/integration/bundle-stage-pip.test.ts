// pip into a bundle tree. Our CPython RPM is not built on this machine yet, so the interpreter is a
// venv of Debian's python3 placed where the bundled one lives (<root>/usr/bin/python3), with pip
// installed from Debian's wheel: the same commands the stage runs, against a real pip.
import { makeTestContext } from '../support/context.js';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoBuildPath, PIP_ROOT, pipInstall, recordHash, refreshRecords } from '../../src/bundle-diracos/pip.js';
import { relocateShebangs } from '../../src/bundle-diracos/relocate.js';
import { createRuntime } from '../../src/runtime/detect.js';
import type { Context } from '../../src/shared/context.js';
import { nodeExec } from '../../src/shared/exec.js';

const WHEELS = '/usr/share/python-wheels';
const work = mkdtempSync(join(tmpdir(), 'bundle-stage-pip-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A real pure-Python wheel with a console script, written with Python's zipfile. */
function makeWheel(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const py = `
import base64, hashlib, sys, zipfile
out = sys.argv[1] + '/diracos_demo-1.0-py3-none-any.whl'
files = {
  'diracos_demo/__init__.py': 'def main():\\n    print("demo ok")\\n',
  'diracos_demo-1.0.dist-info/METADATA': 'Metadata-Version: 2.1\\nName: diracos-demo\\nVersion: 1.0\\n',
  'diracos_demo-1.0.dist-info/WHEEL': 'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n',
  'diracos_demo-1.0.dist-info/entry_points.txt': '[console_scripts]\\ndiracos-demo = diracos_demo:main\\n',
}
record = []
with zipfile.ZipFile(out, 'w') as z:
  for name, text in files.items():
    data = text.encode()
    z.writestr(name, data)
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
    record.append(f'{name},sha256={digest},{len(data)}')
  record.append('diracos_demo-1.0.dist-info/RECORD,,')
  z.writestr('diracos_demo-1.0.dist-info/RECORD', '\\n'.join(record) + '\\n')
print(out)
`;
  return execFileSync('python3', ['-c', py, dir]).toString().trim();
}

// Debian's python3 in a venv stands in for the bundled interpreter, so the platform is this machine.
const HOST_PLATFORM = { image: 'host' };
async function context(): Promise<Context> {
  return makeTestContext({ workdir: work, downloadCache: join(work, 'dl'), runtime: await createRuntime(nodeExec, 'host') });
}

describe('pip into the bundle with the bundle interpreter (Debian python3 standing in)', () => {
  let root: string;
  let wheel: string;
  let freeze: string[];

  beforeAll(async () => {
    root = join(work, 'root.tmp-1');
    execFileSync('python3', ['-m', 'venv', '--without-pip', join(root, 'usr')]);
    const pipWheel = readdirSync(WHEELS).find((f) => f.startsWith('pip-'))!;
    execFileSync(join(root, 'usr/bin/python3'), [join(WHEELS, pipWheel, 'pip'), 'install', '-q', '--no-index', join(WHEELS, pipWheel)]);
    wheel = makeWheel(join(work, 'wheels'));
    const r = await pipInstall(
      await context(),
      root,
      { requirements: ['setuptools', './wheels/diracos_demo-1.0-py3-none-any.whl'], noIndex: true, findLinks: [WHEELS] },
      { manifestDir: work, epoch: 0, stageDir: join(work, 'stage'), platform: HOST_PLATFORM },
    );
    freeze = r.freeze;
  });

  it('installs from an offline wheelhouse and a local wheel, and reports pip freeze lines', () => {
    expect(freeze).toEqual(expect.arrayContaining(['diracos-demo==1.0', expect.stringMatching(/^setuptools==66\./), expect.stringMatching(/^pip==/)]));
    expect(existsSync(wheel)).toBe(true);
  });

  it('byte-compiles with in-bundle paths and hash-based pycs', () => {
    const site = join(root, 'usr/lib/python3.11/site-packages');
    const pyc = join(site, 'diracos_demo/__pycache__', readdirSync(join(site, 'diracos_demo/__pycache__'))[0]!);
    const data = readFileSync(pyc);
    expect(data.readUInt32LE(4)).toBe(3); // flags: checked hash-based
    expect(data.includes(Buffer.from(root))).toBe(false);
    expect(data.includes(Buffer.from('/usr/lib/python3.11/site-packages/diracos_demo/__init__.py'))).toBe(true);
  });

  it('after shebang relocation and RECORD refresh no build path is left, and the RECORD hashes match', () => {
    const script = join(root, 'usr/bin/diracos-demo');
    expect(readFileSync(script, 'utf8').split('\n')[0]).toBe(`#!${PIP_ROOT}/usr/bin/python3`);
    expect(() => assertNoBuildPath(root)).toThrow(/usr\/bin\/diracos-demo/);
    const changed = relocateShebangs(root);
    expect(changed).toContain('usr/bin/diracos-demo');
    const records = refreshRecords(root, changed);
    // pip's own scripts (pip, pip3) were written by the same install into the venv: relocated too.
    expect(records.sort()).toEqual(['usr/lib/python3.11/site-packages/diracos_demo-1.0.dist-info/RECORD', 'usr/lib/python3.11/site-packages/pip-23.0.1.dist-info/RECORD']);
    assertNoBuildPath(root);
    const record = readFileSync(join(root, records[0]!), 'utf8');
    const line = record.split('\n').find((l) => l.startsWith('../../../bin/diracos-demo,'))!;
    const body = readFileSync(script);
    expect(line).toBe(`../../../bin/diracos-demo,${recordHash(body)},${body.length}`);
    const out = execFileSync(script, { env: { ...process.env, PATH: `${join(root, 'usr/bin')}:${process.env.PATH}` } }).toString();
    expect(out).toBe('demo ok\n');
  });

  it('a failing install names the manifest and shows pip\'s error', async () => {
    await expect(
      pipInstall(await context(), root, { requirements: ['no-such-dist-anywhere'], noIndex: true }, { manifestDir: work, epoch: 0, stageDir: join(work, 'stage'), platform: HOST_PLATFORM, source: 'diracos.yaml' }),
    ).rejects.toThrow(/diracos\.yaml: pip install failed[\s\S]*no-such-dist-anywhere/);
  });
});
