import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateManifestText } from '../../src/manifest/validate.js';

const fixtures = join(import.meta.dirname, '../fixtures/manifest');
const badDir = join(fixtures, 'bad');

/** Every bad manifest with the exact problems (line:col: key.path: message) it must produce, in order. */
const expected: Array<[string, string[]]> = [
  ["alias-bomb.yaml", [
    "10:7: YAML: aliases expand to more than 100000 nodes (an alias bomb?); refusing the manifest",
  ]],
  ["aliases-bad.yaml", [
    "10:24: build.packageGroups[0].packages[3].vendor: unknown key in package (known: name, srpm, spec, sources, tarball, patches, defines, with, without, check, buildOnly, pkgList, excludePatterns, postSteps)",
    "10:38: build.packageGroups[0].defines.bad-name: key must be an rpm macro name",
    "10:38: build.packageGroups[0].packages[3].defines.bad-name: key must be an rpm macro name",
    "10:38: build.packageGroups[0].packages[3].bad-name: unknown key in package (known: name, srpm, spec, sources, tarball, patches, defines, with, without, check, buildOnly, pkgList, excludePatterns, postSteps)",
    "12:60: build.packageGroups[0].packages[0].check: expected true or false, got string \"no\"",
    "12:60: build.packageGroups[0].packages[1].check: expected true or false, got string \"no\"",
    "14:17: build.packageGroups[0].packages[2].<<: a merge takes a mapping or a list of mappings, got alias *nothere with no anchor before it",
    "15:25: build.packageGroups[0].packages[3].<<: a merge takes a mapping or a list of mappings, got number 3",
    "16:28: build.packageGroups[0].packages[4].spec: alias *undefined has no anchor &undefined before it",
    "18:65: platforms[0].setup[0]: expected a string, got boolean true",
    "18:65: platforms[1].setup[0]: expected a string, got boolean true",
  ]],
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
    "15:17: build.packageGroups[1].packages[0].name: duplicate package name 'a' (first at line 11, build.packageGroups[0].packages[0])",
  ]],
  ["duplicate-platform.yaml", [
    "17:11: platforms[1].name: duplicate platform name 'deb' (first at line 14, platforms[0])",
  ]],
  ["empty.yaml", [
    "1:1: the manifest is empty",
  ]],
  ["escape-paths.yaml", [
    "5:19: python.source.path: '/etc/hostname' is outside the manifest's folder (/etc/hostname); list a folder holding it in allowPathsOutside to allow it",
    "12:17: build.packageGroups[0].packages[0].spec: '../../../../../../../../etc/passwd' is outside the manifest's folder (/etc/passwd); list a folder holding it in allowPathsOutside to allow it",
    "13:21: build.packageGroups[0].packages[0].patches[0]: '../files/fix.patch' is outside the manifest's folder (<fixtures>/files/fix.patch); list a folder holding it in allowPathsOutside to allow it",
    "15:25: build.packageGroups[0].packages[1].srpm.path: '../files/zlib.spec' is outside the manifest's folder (<fixtures>/files/zlib.spec); list a folder holding it in allowPathsOutside to allow it",
    "18:23: bundle.pip.requirementsFile: '../files/requirements.txt' is outside the manifest's folder (<fixtures>/files/requirements.txt); list a folder holding it in allowPathsOutside to allow it",
    "19:25: bundle.pip.requirements[1]: '../wheels/x-1.0-py3-none-any.whl' is outside the manifest's folder (<fixtures>/wheels/x-1.0-py3-none-any.whl); list a folder holding it in allowPathsOutside to allow it",
    "27:11: tests.script: '/etc/passwd' is outside the manifest's folder (/etc/passwd); list a folder holding it in allowPathsOutside to allow it",
  ]],
  ["escape-symlinks.yaml", [
    "6:19: python.source.path: 'links/dangling.tar.gz' leads out of the manifest's folder through a symlink (to /nonexistent/diracos-test/x.tar.gz); list a folder holding it in allowPathsOutside to allow it",
    "13:17: build.packageGroups[0].packages[0].spec: 'links/out.spec' leads out of the manifest's folder through a symlink (to <fixtures>/files/zlib.spec); list a folder holding it in allowPathsOutside to allow it",
    "14:41: build.packageGroups[0].packages[0].patches[1]: '../files/../good.yaml' is outside the manifest's folder (<fixtures>/good.yaml); list a folder holding it in allowPathsOutside to allow it",
    "17:17: bundle.pip.findLinks[0]: dangling.tar.gz in 'links' is a symlink out of the manifest's folder (to /nonexistent/diracos-test/x.tar.gz); list a folder holding it in allowPathsOutside to allow it",
    "17:17: bundle.pip.findLinks[0]: out.spec in 'links' is a symlink out of the manifest's folder (to <fixtures>/files/zlib.spec); list a folder holding it in allowPathsOutside to allow it",
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
  ["path-sha256.yaml", [
    "5:47: python.source.sha256: sha256 mismatch for <fixtures>/files/zlib.spec: the manifest says 0000000000000000000000000000000000000000000000000000000000000000, the file has e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "15:41: build.packageGroups[0].packages[0].sources[1].sha256: <fixtures>/files is a directory, which has no sha256 (point at a file such as a tarball, or drop sha256)",
  ]],
  ["schema-and-cross-checks.yaml", [
    "1:10: version: expected a string, got number 2 (quote it)",
    "4:12: python.version: must be 3.X.Y; got \"3.11\"",
    "7:13: build.platform: no platform named 'centos7' (platforms: deb, deb)",
    "8:10: build.check: expected true or false, got string \"yes\"",
    "13:17: build.packageGroups[0].packages[0].spec: file not found: <fixtures>/files/missing.spec",
    "14:17: build.packageGroups[0].packages[0].with: expected a list, got string \"shared\"",
    "15:17: build.packageGroups[0].packages[1].name: must be an RPM name; got \"Bad Name\"",
    "17:13: build.packageGroups[1].name: duplicate package group name 'g' (first at line 10, build.packageGroups[0])",
    "19:17: build.packageGroups[1].packages[0].name: duplicate package name 'zlib' (first at line 12, build.packageGroups[0].packages[0])",
    "21:11: build.packageGroups[1].packages[0].buildonly: unknown key in package (did you mean 'buildOnly'?)",
    "25:13: platforms[0].family: must be one of debian, el, fedora; got \"ubuntu\"",
    "26:11: platforms[1].name: duplicate platform name 'deb' (first at line 23, platforms[0])",
    "27:12: platforms[1].image: expected a string, got number 7 (quote it)",
  ]],
  ["several-errors.yaml", [
    "2:18: sourceDateEpoch: must be at least 0, got -5",
    "13:17: build.packageGroups[0].packages[0].with: expected a list, got string \"shared\"",
    "19:12: platforms[0].glibc: expected a string, got number 2.17 (quote it)",
  ]],
  ["source-every-problem.yaml", [
    "5:11: python.source: url sources need a sha256",
    "5:18: python.source.url: must be an http, https or file URL; got \"ftp://example.invalid/Python-3.11.2.tgz\"",
    "5:71: python.source.fileName: must be a file name without /; got \"a/b.tgz\"",
    "12:20: build.packageGroups[0].packages[0].tarball: apt sources need a sha256",
    "12:44: build.packageGroups[0].packages[0].tarball.version: expected a string, got number 3 (quote it)",
    "12:47: build.packageGroups[0].packages[0].tarball.shaa256: unknown key in source (did you mean 'sha256'?)",
    "14:17: build.packageGroups[0].packages[1].srpm: source needs exactly one of url, path, apt; got url and path",
    "14:17: build.packageGroups[0].packages[1].srpm: url sources need a sha256",
    "14:67: build.packageGroups[0].packages[1].srpm.path: file not found: <fixtures>/bad/b.src.rpm",
    "14:87: build.packageGroups[0].packages[1].srpm.version: version goes only with apt",
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
    "3:1: repo: unknown key in manifest (known: version, arch, repository, allowPathsOutside, sourceDateEpoch, python, build, bundle, platforms, tests)",
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
    // bad/links holds the symlinks escape-symlinks.yaml leads through
    expect(expected.map(([f]) => f).sort()).toEqual(readdirSync(badDir).filter((f) => f.endsWith('.yaml')).sort());
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

  it('accepts anchors, aliases and merge keys, own keys winning over merged ones', () => {
    const path = join(fixtures, 'aliases.yaml');
    const { manifest, problems } = validateManifestText(readFileSync(path, 'utf8'), path);
    expect(problems).toEqual([]);
    const [zlib, zlibNg, zlibStatic] = manifest!.build.packageGroups[0]!.packages;
    expect(zlibNg).toEqual({ ...zlib, name: 'zlib-ng' });
    expect(zlibStatic).toEqual({
      ...zlib,
      name: 'zlib-static',
      check: false,
      buildOnly: true,
      without: ['shared'],
      defines: { _without_docs: '1', vendor: 'ours' },
    });
    expect(manifest!.platforms.map((p) => [p.name, p.image, p.family, p.setup, p.required])).toEqual([
      ['bullseye', 'localhost/diracos-platform:bullseye-build', 'debian', ['apt-get update'], undefined],
      ['bookworm', 'localhost/diracos-platform:bookworm', 'debian', ['apt-get update'], false],
      ['trixie', 'localhost/diracos-platform:trixie', 'debian', ['apt-get update'], undefined],
    ]);
  });

  it('a large manifest reusing options through merge keys is accepted (far below the alias expansion limit)', () => {
    const packages = Array.from({ length: 400 }, (_, i) => `        - { <<: *opts, name: p${i}, spec: files/zlib.spec }`);
    const text = [
      'version: "1.0"',
      'repository: repo',
      'python: { version: "3.11.2", source: { path: files/zlib.spec } }',
      'build:',
      '  platform: deb',
      '  packageGroups:',
      '    - name: g',
      '      packages:',
      '        - &opts { name: base, spec: files/zlib.spec, with: [a, b, c], without: [d, e], defines: { x: 1, y: 2, z: 3 }, postSteps: [true1, true2], excludePatterns: ["*-debuginfo-*"] }',
      ...packages,
      'platforms: [{ name: deb, image: img, family: debian }]',
    ].join('\n');
    const path = join(fixtures, 'many-aliases.yaml');
    const { manifest, problems } = validateManifestText(text, path);
    expect(problems).toEqual([]);
    expect(manifest!.build.packageGroups[0]!.packages).toHaveLength(401);
    expect(manifest!.build.packageGroups[0]!.packages[400]!.defines).toEqual({ x: '1', y: '2', z: '3' });
  });
});
