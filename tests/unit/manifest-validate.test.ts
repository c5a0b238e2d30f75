import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipInstallArgs } from '../../src/bundle-diracos/pip.js';
import { renderDiracosrc } from '../../src/bundle-diracos/relocate.js';
import { globForRegex } from '../../src/manifest/policy.js';
import { DiracosError, formatProblem } from '../../src/shared/errors.js';
import { validateManifestText } from '../../src/manifest/validate.js';
import { parseRpmLead, readRpmLeadSync } from '../../src/sources/rpm-lead.js';
import type { Manifest } from '../../src/manifest/types.js';

const fixtures = join(import.meta.dirname, '../fixtures/manifest');
const badDir = join(fixtures, 'bad');

/** Every bad manifest with the exact problems (line:col: key.path: message) it must produce, in order. */
const expected: Array<[string, string[]]> = [
  ["alias-bomb.yaml", [
    "10:7: YAML: aliases expand to more than 100000 nodes (an alias bomb?); refusing the manifest",
  ]],
  ["aliases-bad.yaml", [
    "10:24: build.packageGroups[0].packages[3].vendor: unknown key in package (known: name, srpm, spec, sources, tarball, rpms, patches, specPatches, platform, platformOptions, defines, with, without, check, buildOnly, pkgList, excludePatterns, preSteps, buildCommand, postSteps)",
    "10:38: build.packageGroups[0].defines.bad-name: key must be an rpm macro name",
    "10:38: build.packageGroups[0].packages[3].defines.bad-name: key must be an rpm macro name",
    "10:38: build.packageGroups[0].packages[3].bad-name: unknown key in package (known: name, srpm, spec, sources, tarball, rpms, patches, specPatches, platform, platformOptions, defines, with, without, check, buildOnly, pkgList, excludePatterns, preSteps, buildCommand, postSteps)",
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
    "11:11: build.packageGroups[0].packages[0]: package needs exactly one of srpm, spec, tarball, rpms (or srpm with spec: the SRPM's spec replaced by ours)",
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
    "2:18: sourceDateEpoch: must be at least 1, got -5",
    "13:17: build.packageGroups[0].packages[0].with: expected a list, got string \"shared\"",
    "19:12: platforms[0].glibc: expected a string, got number 2.17 (quote it)",
  ]],
  ["source-every-problem.yaml", [
    "5:18: python.source.url: must be an http, https or file URL; got \"ftp://example.invalid/Python-3.11.2.tgz\"",
    "5:71: python.source.fileName: must be a file name without / or control characters that does not start with .; got \"a/b.tgz\"",
    "12:44: build.packageGroups[0].packages[0].tarball.version: expected a string, got number 3 (quote it)",
    "12:47: build.packageGroups[0].packages[0].tarball.shaa256: unknown key in source (did you mean 'sha256'?)",
    "14:17: build.packageGroups[0].packages[1].srpm: source needs exactly one of url, path, apt (or url with apt: ways to the same bytes, urls first); got url and path",
    "14:67: build.packageGroups[0].packages[1].srpm.path: file not found: <fixtures>/bad/b.src.rpm",
    "14:87: build.packageGroups[0].packages[1].srpm.version: version goes only with apt",
  ]],
  ["source-file-names.yaml", [
    "6:73: python.source.fileName: must be a file name without / or control characters that does not start with .; got \"..\"",
    "13:45: build.packageGroups[0].packages[0].tarball.fileName: must be a file name without / or control characters that does not start with .; got \".libffi.tar.gz\"",
    "15:70: build.packageGroups[0].packages[1].tarball.fileName: must be a file name without / or control characters that does not start with .; got \"b\\n.tgz\"",
  ]],
  ["sources-without-spec.yaml", [
    "13:20: build.packageGroups[0].packages[0].sources: sources go only with spec (an SRPM or tarball carries its own)",
  ]],
  ["two-package-kinds.yaml", [
    "11:11: build.packageGroups[0].packages[0]: package needs exactly one of srpm, spec, tarball, rpms (or srpm with spec: the SRPM's spec replaced by ours); got spec and tarball",
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
  ["v1-checks.yaml", [
    "9:17: build.buildCommand: buildCommand needs build.backend container (mock rebuilds the source RPM in its own chroot); prepare the tree with preSteps instead",
    "12:17: build.packageGroups[0].platform: no platform named 'centos7' (platforms: el7)",
    "13:45: build.packageGroups[0].platformOptions.chrootSetup[1]: 'epel-rpm-macros' may not be installed in a build root (EPEL is never used: everything beyond the base OS is rebuilt by us)",
    "17:24: build.packageGroups[0].packages[0].specPatches: specPatches go only with srpm (they edit the SRPM's spec)",
    "17:24: build.packageGroups[0].packages[0].specPatches: specPatches do not go with spec: the spec is ours, edit it",
    "20:24: build.packageGroups[0].packages[1].specPatches: specPatches go only with srpm (they edit the SRPM's spec)",
    "20:25: build.packageGroups[0].packages[1].specPatches[0]: file not found: <fixtures>/files/missing.patch",
    "22:18: build.packageGroups[0].packages[2].rpms[0]: a prebuilt RPM needs a sha256: it enters the repository as it is",
    "22:26: build.packageGroups[0].packages[2].rpms[0].path: <fixtures>/files/zlib.spec is not an RPM (no RPM lead in its first 96 bytes); rpms takes a binary RPM",
    "23:20: build.packageGroups[0].packages[2].patches: patches do not go with rpms: prebuilt RPMs are not built",
    "24:21: build.packageGroups[0].packages[2].preSteps: preSteps do not go with rpms: prebuilt RPMs are not built",
    "25:25: build.packageGroups[0].packages[2].buildCommand: buildCommand does not go with rpms: prebuilt RPMs are not built",
    "25:25: build.packageGroups[0].packages[2].buildCommand: buildCommand needs build.backend container (mock rebuilds the source RPM in its own chroot); prepare the tree with preSteps instead",
    "26:21: build.packageGroups[0].packages[2].platform: no platform named 'deb8' (platforms: el7)",
    "28:25: build.packageGroups[0].packages[3].srpm.path: <fixtures>/files/zlib.spec is not an RPM (no RPM lead in its first 96 bytes); srpm takes a source RPM",
    "30:24: bundle.environment.PATH: 'PATH' is set by diracosrc itself (it manages DIRACOS, PATH, LD_LIBRARY_PATH); use another name",
    "30:51: bundle.environment.LD_LIBRARY_PATH: 'LD_LIBRARY_PATH' is set by diracosrc itself (it manages DIRACOS, PATH, LD_LIBRARY_PATH); use another name",
    "35:50: platforms[0].mock.chrootSetup[1]: 'epel-release' may not be installed in a build root (EPEL is never used: everything beyond the base OS is rebuilt by us)",
    "36:33: platforms[0].modulesAllowedToFail[1]: 'pylab' is not in tests.modules (ssl): only a module the tests import can be allowed to fail",
    "40:60: tests.knownBrokenLinks[2]: '../outside' is not a path inside the bundle (e.g. usr/lib/x, as brokenLinks.txt lists it)",
    "40:72: tests.knownBrokenLinks[3]: '/' is not a path inside the bundle (e.g. usr/lib/x, as brokenLinks.txt lists it)",
  ]],
  ["wrong-type-boolean.yaml", [
    "8:10: build.check: expected true or false, got string \"yes\"",
  ]],
  ["yaml-duplicate-key.yaml", [
    "3:1: YAML: Map keys must be unique",
  ]],
  ["yaml-two-documents.yaml", [
    "10:1: YAML: a second document starts here; a manifest is one YAML document",
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

/** A small manifest in `dir` with `packages` (YAML lines under packages:) and more top-level lines. */
function manifestIn(dir: string, packages: string[], more: string[] = []): { manifest?: unknown; problems: string[]; warnings: string[] } {
  const text = [
    'version: "1.0"',
    'repository: repo',
    'python: { version: "3.11.2", source: { url: "https://example.invalid/Python.tgz", sha256: "0000000000000000000000000000000000000000000000000000000000000000" } }',
    'build:',
    '  platform: deb',
    '  excludePatterns: [".*-doc-.*", "*-debuginfo-*"]',
    '  packageGroups:',
    '    - name: g',
    '      packages:',
    ...packages.map((l) => `        ${l}`),
    ...more,
    'platforms: [{ name: deb, image: img, family: debian }]',
  ].join('\n');
  const r = validateManifestText(text, join(dir, 'diracos.yaml'));
  const show = (p: { message: string; location: { line?: number; col?: number } }) => `${p.location.line}:${p.location.col}: ${p.message}`.replaceAll(dir, '<dir>');
  return { manifest: r.manifest, problems: r.problems.map(show), warnings: r.warnings.map(show) };
}

describe('what DIRACOS v1 relied on, checked at validate time', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'manifest-v1-'));
    // Real RPMs: a source and a binary one of the fromsrpm fixture, made by rpmbuild.
    const top = join(dir, 'top');
    mkdirSync(join(top, 'SOURCES'), { recursive: true });
    const pkg = join(import.meta.dirname, '../fixtures/packages/fromsrpm');
    copyFileSync(join(pkg, 'fromsrpm.sh'), join(top, 'SOURCES/fromsrpm.sh'));
    copyFileSync(join(pkg, 'fromsrpm.spec'), join(dir, 'ours.spec'));
    execFileSync('rpmbuild', ['-ba', '--quiet', '--define', `_topdir ${top}`, '--define', `_srcrpmdir ${dir}`, '--define', `_rpmdir ${dir}`, join(pkg, 'fromsrpm.spec')], { stdio: 'pipe' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the lead of real RPMs: source or binary', () => {
    expect(readRpmLeadSync(join(dir, 'fromsrpm-2.0-3.src.rpm'))).toEqual({ type: 'source', name: 'fromsrpm-2.0-3' });
    expect(readRpmLeadSync(join(dir, 'noarch/fromsrpm-2.0-3.noarch.rpm'))).toEqual({ type: 'binary', name: 'fromsrpm-2.0-3' });
    expect(parseRpmLead(Buffer.from('#!/bin/sh\n'.padEnd(96)))).toBeUndefined();
  });

  it('refuses a binary RPM given as srpm and a source RPM given as rpms, saying what to write instead', () => {
    const r = manifestIn(dir, [
      '- { name: a, srpm: { path: noarch/fromsrpm-2.0-3.noarch.rpm } }',
      '- { name: b, rpms: [{ path: fromsrpm-2.0-3.src.rpm, sha256: "' + '1'.repeat(64) + '" }] }',
      '- { name: c, srpm: { path: fromsrpm-2.0-3.src.rpm } }',
    ]);
    expect(r.problems).toEqual([
      "10:36: build.packageGroups[0].packages[0].srpm.path: <dir>/noarch/fromsrpm-2.0-3.noarch.rpm is a binary RPM (its lead says binary: fromsrpm-2.0-3), not a source RPM; list it under `rpms:` to put it into the repository as it is",
      "11:37: build.packageGroups[0].packages[1].rpms[0].path: <dir>/fromsrpm-2.0-3.src.rpm is a source RPM (its lead says source: fromsrpm-2.0-3), not a binary RPM; give it as `srpm:` to rebuild it",
      expect.stringMatching(/^11:69: build\.packageGroups\[0\]\.packages\[1\]\.rpms\[0\]\.sha256: sha256 mismatch/),
    ]);
  });

  it('accepts a binary RPM under rpms with its sha256, and an srpm with a spec of ours replacing its spec', () => {
    const sha = execFileSync('sha256sum', [join(dir, 'noarch/fromsrpm-2.0-3.noarch.rpm')], { encoding: 'utf8' }).split(' ')[0]!;
    const r = manifestIn(dir, [
      `- { name: golang, rpms: [{ path: noarch/fromsrpm-2.0-3.noarch.rpm, sha256: ${sha} }] }`,
      '- { name: replaced, srpm: { path: fromsrpm-2.0-3.src.rpm }, spec: ours.spec, sources: [{ path: ours.spec, fileName: extra.txt }] }',
    ]);
    expect(r.problems).toEqual([]);
  });

  it('warns about excludePatterns and excludedPackages that look like regexes, naming the glob meant', () => {
    const r = manifestIn(dir, ['- { name: a, spec: ours.spec, excludePatterns: ["^a-tests-.*\\\\.rpm$", "python3.*"] }'], ['bundle: { excludedPackages: [".*-devel"] }']);
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([
      "3:91: python.source.sha256: all zeros: a placeholder, not a digest; fetching the file fails its check until the real sha256 is given",
      "6:21: build.excludePatterns[0]: '.*-doc-.*' looks like a regex (`.*` / `.+` (any characters in a regex; `*` in a glob)), but these patterns are globs; did you mean '*-doc-*'?",
      "10:57: build.packageGroups[0].packages[0].excludePatterns[0]: '^a-tests-.*\\.rpm$' looks like a regex (`.*` / `.+` (any characters in a regex; `*` in a glob); `\\.` (a literal dot in a regex; `.` in a glob); `^` (an anchor in a regex; globs match the whole name); `$` (an anchor in a regex; globs match the whole name)), but these patterns are globs; did you mean 'a-tests-*.rpm'?",
      "11:30: bundle.excludedPackages[0]: '.*-devel' looks like a regex (`.*` / `.+` (any characters in a regex; `*` in a glob)), but these patterns are globs; did you mean '*-devel*'?",
    ]);
  });

  it('takes a url or a list of mirrors, with or without an apt alternative; warns about each source not locked yet', () => {
    const sha = 'a'.repeat(64);
    const r = manifestIn(dir, [
      `- { name: a, tarball: { url: "https://one.invalid/a-1.tar.gz", sha256: ${sha} } }`,
      `- { name: b, tarball: { url: ["https://one.invalid/b-1.tar.gz", "https://two.invalid/b-1.tar.gz"], apt: bb, version: "1-1", sha256: ${sha} } }`,
      '- { name: c, tarball: { url: ["https://one.invalid/c-1.tar.gz"] } }',
      '- { name: d, tarball: { apt: dd } }',
    ]);
    expect(r.problems).toEqual([]);
    const tarballs = (r.manifest as Manifest).build.packageGroups[0]!.packages.map((p) => p.tarball);
    expect(tarballs).toEqual([
      { url: ['https://one.invalid/a-1.tar.gz'], sha256: sha },
      { url: ['https://one.invalid/b-1.tar.gz', 'https://two.invalid/b-1.tar.gz'], apt: 'bb', version: '1-1', sha256: sha },
      { url: ['https://one.invalid/c-1.tar.gz'] },
      { apt: 'dd' },
    ]);
    const unlocked = r.warnings.filter((w) => w.includes('not locked'));
    expect(unlocked).toEqual([
      '12:31: build.packageGroups[0].packages[2].tarball: not locked: no sha256 yet; run `diracos lock` where it can be downloaded (fetching refuses it until then)',
      '13:31: build.packageGroups[0].packages[3].tarball: not locked: no sha256 yet; run `diracos lock` where it can be downloaded (fetching refuses it until then)',
    ]);
    const bad = manifestIn(dir, ['- { name: a, tarball: { url: [] } }', '- { name: b, tarball: { url: ["ftp://x.invalid/b.tgz", 3] } }', '- { name: c, tarball: { url: { a: 1 } } }']);
    expect(bad.problems).toEqual([
      '10:38: build.packageGroups[0].packages[0].tarball.url: needs at least 1 item',
      '11:39: build.packageGroups[0].packages[1].tarball.url[0]: must be an http, https or file URL; got "ftp://x.invalid/b.tgz"',
      '11:64: build.packageGroups[0].packages[1].tarball.url[1]: expected a string, got number 3 (quote it)',
      '12:38: build.packageGroups[0].packages[2].tarball.url: expected a string or a list of strings, got a mapping',
    ]);
  });

  it('turns regexes into the globs they probably meant', () => {
    expect(globForRegex('.*-doc-.*')).toBe('*-doc-*');
    expect(globForRegex('.*-debuginfo-.*')).toBe('*-debuginfo-*');
    expect(globForRegex('^foo\\.rpm$')).toBe('foo.rpm');
    expect(globForRegex('lib[0-9]+-x.+')).toBe('*lib*-x*');
    for (const glob of ['*-debuginfo-*', 'python3.*', '*-devel', 'lib?.so']) expect(globForRegex(glob)).toBeUndefined();
  });

  it('takes requirementsFile as a URL (pip -r URL) or a build-platform path, and still checks a relative one', () => {
    const pip = (file: string) => manifestIn(dir, ['- { name: a, spec: ours.spec }'], [`bundle: { pip: { requirementsFile: "${file}" } }`]).problems;
    expect(pip('https://raw.githubusercontent.com/DIRACGrid/DIRACOS/master/config/requirements.txt')).toEqual([]);
    expect(pip('/srv/requirements.txt')).toEqual([]);
    expect(pip('missing/requirements.txt')).toEqual(['11:36: bundle.pip.requirementsFile: file not found: <dir>/missing/requirements.txt']);
  });

  it('pip gets a requirementsFile URL as it is (it was made a path below the manifest)', () => {
    const url = 'https://example.invalid/config/requirements.txt';
    expect(pipInstallArgs({ requirementsFile: url }, '/m', '/r/usr')).toEqual(expect.arrayContaining(['--requirement', url]));
    expect(pipInstallArgs({ requirementsFile: 'req.txt' }, '/m', '/r/usr')).toEqual(expect.arrayContaining(['--requirement', '/m/req.txt']));
  });

  it("diracosrc's own guard names the key once and the manifest as the file (it printed both twice)", () => {
    let error: unknown;
    try {
      renderDiracosrc({ PATH: '/opt/bin' }, '/m/diracos.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DiracosError);
    const e = error as DiracosError;
    expect(formatProblem({ message: e.message, location: e.location })).toBe("/m/diracos.yaml: bundle.environment: 'PATH' is set by diracosrc itself");
  });
});
