import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifest, MAX_MANIFEST_BYTES } from '../../src/manifest/load.js';
import { renderReference, schemaKeys } from '../../src/manifest/reference.js';
import { buildOptionFields } from '../../src/manifest/schema.js';
import { DiracosError, DiracosErrors, formatProblem } from '../../src/shared/errors.js';

const fixtures = join(import.meta.dirname, '../fixtures/manifest');

/** Key paths present in a parsed value, in the notation of schemaKeys. */
function presentPaths(value: unknown, path = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => presentPaths(v, `${path}[]`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = path ? `${path}.${k}` : k;
      out.add(p);
      presentPaths(v, p, out);
    }
  }
  return out;
}

describe('manifest schema', () => {
  it('the full example uses every key the schema documents', () => {
    const loaded = loadManifest(join(fixtures, 'good.yaml'));
    const present = presentPaths(loaded.manifest);
    // map values (defines, env) are free-form: their keys are not schema keys
    const documented = schemaKeys().map((r) => r.path);
    const sourceKeys = ['url', 'path', 'apt', 'version', 'sha256', 'fileName'];
    // inherited build options are one set of keys, valid at three levels: one use anywhere covers them
    const inherited = (p: string) => {
      const key = p.split('.').pop()!;
      return key in buildOptionFields && [...present].some((q) => q.startsWith('build') && q.endsWith(`.${key}`));
    };
    const missing = documented.filter((p) => !present.has(p) && !inherited(p) && !sourceKeys.some((k) => p.endsWith(`.${k}`)));
    expect(missing).toEqual([]);
  });

  it('resolves inheritance global -> group -> package (maps merge, the rest is replaced)', () => {
    const loaded = loadManifest(join(fixtures, 'good.yaml'));
    const byName = Object.fromEntries(loaded.packages.map((p) => [p.name, p]));
    expect(byName.gdb).toMatchObject({ group: 'bootstrap', bootstrap: true, buildOnly: true, check: false, without: ['python'], kind: 'srpm' });
    expect(byName.gdb!.defines).toEqual({ _without_docs: '1', vendor: 'DIRAC' });
    expect(byName.zlib).toMatchObject({ check: true, buildOnly: false, with: ['shared'], pkgList: ['zlib', 'zlib-devel'], kind: 'spec' });
    expect(byName.zlib!.defines).toEqual({ _without_docs: '1', vendor: 'ours' });
    expect(byName.zlib!.excludePatterns).toEqual(['*-debuginfo-*']);
    expect(byName.zlib!.spec).toBe(join(fixtures, 'files/zlib.spec'));
    expect(byName.zlib!.patches).toEqual([join(fixtures, 'files/fix.patch')]);
    expect(byName.libffi!.kind).toBe('tarball');
    expect(loaded.repository).toBe(join(fixtures, 'repo'));
    expect(loaded.buildPlatform.name).toBe('bullseye');
  });

  it('resolves placement and routines like the other options (the closer level replaces), and the package kinds', () => {
    const loaded = loadManifest(join(fixtures, 'good.yaml'));
    const byName = Object.fromEntries(loaded.packages.map((p) => [p.name, p]));
    expect(byName.openssl).toMatchObject({ kind: 'srpm', spec: join(fixtures, 'files/zlib.spec'), platform: 'cc7', platformOptions: { setup: ['yum -y install perl'], chrootSetup: ['perl'] } });
    // the group names build.platform: no other platform, its options still apply
    expect(byName['golang-old']).toMatchObject({ kind: 'rpms', platformOptions: { setup: ['true'], chrootSetup: ['gcc'] } });
    expect(byName['golang-old']!.platform).toBeUndefined();
    expect(byName['golang-old']!.rpms).toEqual([{ url: ['https://example.invalid/golang-1.5.1-0.x86_64.rpm'], sha256: '5'.repeat(64) }]);
    expect(byName.gdb).toMatchObject({ specPatches: [join(fixtures, 'files/gdb-spec.patch')], preSteps: ['echo before'] });
    expect(byName.libffi!.buildCommand).toBe('eval "$DIRACOS_RPMBUILD"');
    expect(byName.zlib!.preSteps).toBeUndefined();
    expect(byName.zlib!.buildCommand).toBeUndefined();
    expect(byName.zlib!.platformOptions).toBeUndefined();
  });

  it('loadManifest reports every problem as file:line:col: key.path: message', () => {
    const file = join(fixtures, 'bad/several-errors.yaml');
    let error: unknown;
    try {
      loadManifest(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DiracosErrors);
    const lines = (error as DiracosErrors).problems.map(formatProblem);
    expect(lines).toEqual([
      `${file}:2:18: sourceDateEpoch: must be at least 1, got -5`,
      `${file}:13:17: build.packageGroups[0].packages[0].with: expected a list, got string "shared"`,
      `${file}:19:12: platforms[0].glibc: expected a string, got number 2.17 (quote it)`,
    ]);
  });

  it('a missing manifest file is an error naming it', () => {
    expect(() => loadManifest('/nonexistent/diracos.yaml')).toThrow(/\/nonexistent\/diracos.yaml/);
  });

  it('the example manifest loads with only the root specs and patches outside: its absolute find-links are the build platform\'s', () => {
    const loaded = loadManifest(join(import.meta.dirname, '../../examples/diracos.yaml'));
    expect(loaded.manifest.allowPathsOutside).toEqual(['../specs', '../patches']);
    expect(loaded.manifest.bundle?.pip?.findLinks).toEqual(['/usr/share/python-wheels']);
  });

  describe('reads only a regular file of bounded size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'manifest-read-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const refusal = (file: string): string => {
      try {
        loadManifest(file);
      } catch (e) {
        expect(e).toBeInstanceOf(DiracosError);
        expect((e as DiracosError).location).toEqual({ file });
        return (e as Error).message;
      }
      throw new Error(`${file} was accepted`);
    };

    it('refuses a device without reading it (-m /dev/zero)', () => {
      expect(refusal('/dev/zero')).toBe('cannot read manifest: it is a device, not a regular file');
    });

    it('refuses a FIFO without blocking on it', () => {
      const fifo = join(dir, 'fifo.yaml');
      execFileSync('mkfifo', [fifo]);
      expect(refusal(fifo)).toBe('cannot read manifest: it is a FIFO, not a regular file');
    });

    it('refuses a directory', () => {
      expect(refusal(dir)).toBe('cannot read manifest: it is a directory, not a regular file');
    });

    it('refuses a file over the limit', () => {
      const big = join(dir, 'big.yaml');
      writeFileSync(big, '');
      truncateSync(big, 64 * 1024 * 1024);
      expect(refusal(big)).toBe(`cannot read manifest: it has ${64 * 1024 * 1024} bytes, more than the 4 MiB a manifest may have`);
      expect(MAX_MANIFEST_BYTES).toBe(4 * 1024 * 1024);
    });

    it('refuses bytes that are not UTF-8 instead of replacing them', () => {
      const latin1 = join(dir, 'latin1.yaml');
      writeFileSync(latin1, Buffer.from('version: "caf\xe9"\n', 'latin1'));
      expect(refusal(latin1)).toBe('cannot read manifest: it is not UTF-8 text');
    });
  });

  it('the README reference is generated from the schema (npm run docs)', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    expect(readme).toContain(renderReference());
  });
});
