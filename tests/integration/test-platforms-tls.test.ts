/**
 * TLS on every platform: the example's own CPython and OpenSSL RPMs (OpenSSL built with openssldir
 * /etc/pki/tls, as DIRACOS's), extracted into a bundle with the diracosrc the bundle stage renders,
 * go through test-platforms on bullseye, bookworm and trixie with Debian's ca-certificates installed.
 * Each container adds a throw-away CA to its trust store with update-ca-certificates; the bundle's
 * python3 must verify a server on 127.0.0.1 signed by it, with nothing set by hand. A diracosrc without
 * the CA lookup fails there (as every TLS check of a grid job on Ubuntu did), and an image without
 * ca-certificates is reported, not failed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapPython } from '../../src/bootstrap-python/index.js';
import { renderDiracosrc } from '../../src/bundle-diracos/relocate.js';
import type { LoadedManifest } from '../../src/manifest/load.js';
import type { Manifest, PlatformSpec } from '../../src/manifest/types.js';
import { MemoryReporter } from '../../src/reporting/reporter.js';
import { testPlatforms } from '../../src/test-platforms/index.js';
import { makeTestContext } from '../support/context.js';
import { exampleContext, exampleManifest, withExampleLock } from '../support/example.js';

const CA_CERTIFICATES = 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ca-certificates';
const SUITES = ['bullseye', 'bookworm', 'trixie'];
const TOP = 'diracos-1.0-x86_64';

let work: string;
let withCa: string;
let withoutCa: string;

/** A tarball of `tree` with `diracosrc` at its top. */
function tarball(name: string, tree: string, diracosrc: string): string {
  writeFileSync(join(tree, 'diracosrc'), diracosrc);
  const file = join(work, `${name}.tar.gz`);
  execFileSync('tar', ['-C', join(tree, '..'), '-czf', file, TOP]);
  return file;
}

function manifestOf(platforms: PlatformSpec[]): LoadedManifest {
  const manifest = { version: '1.0', repository: 'repo', python: { version: '3.11.2', source: { path: 'x' } }, build: { platform: platforms[0]!.name, packageGroups: [] }, platforms, tests: {} } as Manifest;
  return { file: join(work, 'diracos.yaml'), dir: work, manifest, packages: [], repository: join(work, 'repo'), buildPlatform: platforms[0]!, arch: 'x86_64' };
}

async function run(file: string, platforms: PlatformSpec[]) {
  const reporter = new MemoryReporter();
  const ctx = await makeTestContext({ workdir: join(work, 'workdir'), downloadCache: join(work, 'dl'), reporter });
  const result = await testPlatforms(ctx, manifestOf(platforms), { tarball: file, outDir: join(work, `out-${Math.random().toString(36).slice(2)}`) });
  return { result, reporter };
}

function tls(result: Awaited<ReturnType<typeof testPlatforms>>, platform: string) {
  return result.platforms.find((p) => p.name === platform)!.checks.find((c) => c.check === 'tls')!;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'test-platforms-tls-'));
  // Our CPython and what it links (OpenSSL among them), from the example's repository (cached).
  const ctx = await exampleContext();
  const m = await exampleManifest();
  const python = await withExampleLock(() => bootstrapPython(ctx, m));
  const tree = join(work, 'tree', TOP);
  mkdirSync(tree, { recursive: true });
  await withExampleLock(async () => {
    const binary = join(python.rpm, '..');
    for (const rpm of readdirSync(binary).filter((f) => f.endsWith('.rpm') && !/-devel-|^diracos-example-/.test(f))) {
      execFileSync('sh', ['-c', 'rpm2cpio "$1" | cpio -idm --quiet', 'sh', join(binary, rpm)], { cwd: tree });
    }
  });
  const rc = renderDiracosrc();
  withCa = tarball('with-ca-lookup', tree, rc);
  // The diracosrc before the CA lookup: everything but its CA lines.
  const before = rc.replace(/^# The host's CA certificates[\s\S]*?^unset _diracos_ca\n/m, '');
  expect(before).not.toContain('SSL_CERT');
  withoutCa = tarball('without-ca-lookup', tree, before);
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("test-platforms' TLS check with the bundled OpenSSL", () => {
  const platforms = (): PlatformSpec[] => [
    ...SUITES.map((s) => ({ name: s, image: `localhost/diracos-platform:${s}`, family: 'debian' as const, setup: [CA_CERTIFICATES] })),
    { name: 'bare', image: 'localhost/diracos-platform:bullseye', family: 'debian', glibc: '2.31' },
  ];

  it('verifies a server whose CA is only in the trust store, on every Debian release; an image without ca-certificates is a warning', async () => {
    const { result, reporter } = await run(withCa, platforms());
    for (const s of SUITES) expect(tls(result, s), s).toEqual({ check: 'tls', passed: 1, failed: 0, failures: [] });
    expect(tls(result, 'bare')).toEqual({ check: 'tls', passed: 0, failed: 0, failures: [] });
    expect(reporter.messages('warning')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^bare tls: TLS not checked: update-ca-certificates is not in the image \(its ca-certificates package\); add it to platforms\[bare\]\.setup/)]),
    );
  });

  it('fails, with the verification error, where diracosrc does not point the bundled OpenSSL at the host certificates', async () => {
    const { result } = await run(withoutCa, platforms().slice(0, 3));
    expect(result.ok).toBe(false);
    for (const s of SUITES) {
      expect(tls(result, s).failures, s).toEqual([
        expect.stringMatching(/^https:\/\/127\.0\.0\.1 \(CA in the trust store only\): the bundle's python3 cannot verify it with the platform's CA certificates:\n[\s\S]*CERTIFICATE_VERIFY_FAILED/),
      ]);
    }
  });
});
