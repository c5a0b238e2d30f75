import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateManifestText } from '../../src/manifest/validate.js';

const fixtures = join(import.meta.dirname, '../fixtures/manifest');
const badDir = join(fixtures, 'bad');

/** Every bad manifest with the exact problems (line:col: key.path: message) it must produce, in order. */
const expected: Array<[string, string[]]> = [
  ["bad-defines.yaml", [
    "13:22: build.packageGroups[0].packages[0].defines.with-x: key must be an rpm macro name",
    "13:39: build.packageGroups[0].packages[0].defines.ok: expected a string, number or boolean, got a list",
  ]],
  ["bad-env-name.yaml", [
    "17:12: platforms[0].env.LD-PRELOAD: key must be an environment variable name",
  ]],
  ["bad-family.yaml", [
    "16:13: platforms[0].family: must be one of debian, el, fedora; got \"ubuntu\"",
  ]],
  ["bad-sha256.yaml", [
    "5:71: python.source.sha256: must be 64 lowercase hex digits; got \"ABC\"",
  ]],
  ["duplicate-package.yaml", [
    "15:17: build.packageGroups[1].packages[0].name: duplicate package name 'a' (first at build.packageGroups[0].packages[0])",
  ]],
  ["duplicate-platform.yaml", [
    "17:11: platforms[1].name: duplicate platform name 'deb' (first at platforms[0])",
  ]],
  ["empty.yaml", [
    "1:1: the manifest is empty",
  ]],
  ["missing-python-version.yaml", [
    "4:3: python: missing required key 'version'",
  ]],
  ["missing-spec-file.yaml", [
    "12:17: build.packageGroups[0].packages[0].spec: file not found: <fixtures>/files/missing.spec",
  ]],
  ["no-package-kind.yaml", [
    "11:11: build.packageGroups[0].packages[0]: package needs exactly one of srpm, spec, tarball",
  ]],
  ["no-platforms.yaml", [
    "13:12: platforms: needs at least 1 item",
  ]],
  ["several-errors.yaml", [
    "2:18: sourceDateEpoch: must be at least 0, got -5",
    "13:17: build.packageGroups[0].packages[0].with: expected a list, got string \"shared\"",
    "19:12: platforms[0].glibc: expected a string, got number 2.17 (quote it)",
  ]],
  ["sources-without-spec.yaml", [
    "13:20: build.packageGroups[0].packages[0].sources: sources go only with spec (an SRPM or tarball carries its own)",
  ]],
  ["two-package-kinds.yaml", [
    "11:11: build.packageGroups[0].packages[0]: package needs exactly one of srpm, spec, tarball; got srpm and spec",
  ]],
  ["unknown-build-platform.yaml", [
    "7:13: build.platform: no platform named 'centos7' (platforms: deb)",
  ]],
  ["unknown-package-key.yaml", [
    "13:11: build.packageGroups[0].packages[0].buildonly: unknown key in package (did you mean 'buildOnly'?)",
  ]],
  ["unknown-top-key.yaml", [
    "3:1: repo: unknown key in manifest (known: version, arch, repository, sourceDateEpoch, python, build, bundle, platforms, tests)",
  ]],
  ["unquoted-version.yaml", [
    "1:10: version: expected a string, got number 2.1 (quote it)",
  ]],
  ["url-without-sha256.yaml", [
    "5:11: python.source: url sources need a sha256",
  ]],
  ["wrong-type-boolean.yaml", [
    "8:10: build.check: expected true or false, got string \"yes\"",
  ]],
  ["yaml-duplicate-key.yaml", [
    "3:1: YAML: Map keys must be unique",
  ]],
  ["yaml-syntax.yaml", [
    "3:1: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
  ]],
];

function problems(file: string): string[] {
  const path = join(badDir, file);
  const { manifest, problems } = validateManifestText(readFileSync(path, 'utf8'), path);
  expect(manifest).toBeUndefined();
  for (const p of problems) expect(p.location.file).toBe(path);
  return problems.map((p) => `${p.location.line}:${p.location.col}: ${p.message}`.replace(fixtures, '<fixtures>'));
}

describe('manifest validation', () => {
  it('has an expectation for every bad manifest and at least 15 of them', () => {
    expect(expected.map(([f]) => f).sort()).toEqual(readdirSync(badDir).sort());
    expect(expected.length).toBeGreaterThanOrEqual(15);
  });

  it.each(expected)('%s', (file, want) => {
    expect(problems(file)).toEqual(want);
  });

  it('accepts the manifest that uses every key, with values typed', () => {
    const path = join(fixtures, 'good.yaml');
    const { manifest, problems } = validateManifestText(readFileSync(path, 'utf8'), path);
    expect(problems).toEqual([]);
    expect(manifest?.build.defines).toEqual({ _without_docs: '1', vendor: 'DIRAC' });
    expect(manifest?.platforms.map((p) => p.name)).toEqual(['bullseye', 'cc7']);
    expect(manifest?.bundle?.pip?.noIndex).toBe(true);
  });
});
