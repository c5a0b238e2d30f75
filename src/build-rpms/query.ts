import { copyFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedPackage } from '../manifest/resolve.js';
import type { PlatformSpec } from '../manifest/types.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';
import { DISABLED_REPOS, releaseRules } from '../platform/release-rules.js';
import { dnfRepoArgs } from './dnf.js';
import { DEBIAN_LIBRARY_GLOBS, DEBIAN_PROVIDES, FAMILY_RULES, PLATFORM_PROVIDES_NAME } from './platform-rules.js';
import { shJoin, shQuote } from '../shared/shell.js';
import { rpmOptions } from './rpm-options.js';
import type { PackageTree } from './tree.js';

/** What rpmspec says about one package's spec, with its options applied. */
export interface SpecInfo {
  name: string;
  parsedSpec: string;
  /** BuildRequires lines as rpmspec prints them ("foo-devel >= 1.2"). */
  buildRequires: string[];
  /** Binary subpackages: name and the file rpmbuild will write. */
  subpackages: Array<{ name: string; file: string }>;
  /** Provides per subpackage name (capability names, versions stripped). */
  provides: Record<string, string[]>;
}

export interface QueryResult {
  specs: Map<string, SpecInfo>;
  /** BuildRequires the platform itself satisfies (rpm database + base repositories); undefined when not checked. */
  platformSatisfied?: Set<string>;
  /** The generated virtual RPM of what a non-RPM platform provides (Debian), else undefined. */
  platformProvidesRpm?: string;
}

/** Specs rpmspec queries at the same time: each query is a few short single-threaded rpmspec runs. */
const QUERY_PARALLEL = 4;

/** The capability name of a dependency ("foo-devel >= 1.2" -> "foo-devel"). */
export function capabilityName(dep: string): string {
  return dep.trim().split(/\s+/)[0]!;
}

/**
 * One container of the build image queries every spec (with the platform's own macros: rpmspec, or on
 * EL6 rpm's Python bindings), builds the platform-provides RPM where needed and checks which
 * BuildRequires the platform satisfies.
 */
export async function querySpecs(
  ctx: Context,
  image: string,
  platform: PlatformSpec,
  trees: readonly PackageTree[],
  packages: ReadonlyMap<string, ResolvedPackage>,
  dir: string,
  opts: { checkPlatform: boolean } = { checkPlatform: true },
): Promise<QueryResult> {
  const rules = FAMILY_RULES[platform.family];
  const method = releaseRules(platform).specQuery;
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'out'), { recursive: true });
  if (method === 'rpm-python') await writeFile(join(dir, SPEC_QUERY_PY), SPEC_QUERY_PYTHON);
  const treesRoot = join(trees[0]?.dir ?? join(dir, 'none'), '..');
  const script = queryScript(
    platform,
    trees.map((t) => ({ name: t.name, spec: `/trees/${t.name}/SPECS/${t.spec.split('/').pop()}`, options: rpmOptions(packages.get(t.name)!, 'rpmspec') })),
    opts,
  );
  await ctx.runtime.run({
    image,
    name: 'spec-query',
    command: ['bash', '-c', script],
    mounts: [
      { source: dir, target: '/q' },
      { source: treesRoot, target: '/trees', readOnly: true },
    ],
    network: rules.network,
  });
  const specs = new Map<string, SpecInfo>();
  for (const t of trees) {
    const out = join(dir, 'out', t.name);
    const read = (f: string) => readFile(join(out, f), 'utf8').catch(() => '');
    if ((await read('failed')) !== '') {
      throw new DiracosError(`package '${t.name}': ${method === 'rpmspec' ? 'rpmspec' : "rpm's Python bindings and rpmbuild -bs"} cannot parse the spec:\n${(await read('err')).trim().split('\n').slice(-10).join('\n')}`, {
        file: t.origin,
      });
    }
    const subpackages = lines(await read('names')).map((l) => {
      const [name, file] = l.split('\t');
      return { name: name!, file: file! };
    });
    const provides: Record<string, string[]> = Object.fromEntries(subpackages.map((s) => [s.name, [s.name]]));
    for (const l of lines(await read('provides'))) {
      const [name, dep] = l.split('\t');
      if (name && dep && dep !== '(none)') provides[name] = [...new Set([...(provides[name] ?? []), capabilityName(dep)])];
    }
    specs.set(t.name, { name: t.name, parsedSpec: await read('parsed'), buildRequires: lines(await read('br')), subpackages, provides });
  }
  const platformSatisfied = opts.checkPlatform ? new Set(lines(await readFile(join(dir, 'satisfied'), 'utf8'))) : undefined;
  let platformProvidesRpm: string | undefined;
  if (rules.platformProvidesRpm) {
    const built = (await readdir(join(dir, 'platform', 'noarch'))).find((f) => f.startsWith(PLATFORM_PROVIDES_NAME));
    if (!built) throw new DiracosError(`building the ${PLATFORM_PROVIDES_NAME} RPM in '${image}' produced nothing`);
    platformProvidesRpm = join(dir, 'platform', `${PLATFORM_PROVIDES_NAME}.rpm`);
    await copyFile(join(dir, 'platform', 'noarch', built), platformProvidesRpm);
  }
  return { specs, platformSatisfied, platformProvidesRpm };
}

/** One spec to query: its name, its path in the query container, its rpm options (--define, --with...). */
export interface SpecToQuery {
  name: string;
  spec: string;
  options: readonly string[];
}

/**
 * The bash script of the query container. Each spec's results go to /q/out/<name>/: parsed (at least
 * its SourceN/PatchN lines), br (BuildRequires), names (subpackage and file name), provides (subpackage
 * and capability); failed and err when it cannot be read. With checkPlatform, /q/satisfied lists the
 * BuildRequires the image's rpm database or the platform's repositories satisfy.
 */
export function queryScript(platform: PlatformSpec, specs: readonly SpecToQuery[], opts: { checkPlatform: boolean }): string {
  const rules = FAMILY_RULES[platform.family];
  const release = releaseRules(platform);
  const repoCheck = !rules.systemRepos
    ? ''
    : release.packageManager === 'yum'
      ? ` || repoquery -q ${shJoin(DISABLED_REPOS.map((r) => `--disablerepo=${r}`))} --whatprovides "$r" 2>/dev/null | grep -q .`
      : ` || dnf -q repoquery ${shJoin(dnfRepoArgs(platform, rules, []))} --whatprovides "$r" 2>/dev/null | grep -q .`;
  return [
    // The query format strings are rpm's, not the shell's.
    '# shellcheck disable=SC2016',
    'set -o pipefail',
    ...(rules.platformProvidesRpm ? platformProvidesScript() : []),
    ...(release.specQuery === 'rpmspec' ? RPMSPEC_QUERY : RPM_PYTHON_QUERY),
    // Each spec in the background, QUERY_PARALLEL at a time (plain `wait`: EL6's bash has no `wait -n`).
    ...specs.map((t, i) => `q ${shQuote(t.name)} ${shQuote(t.spec)} ${shJoin(t.options)} &` + ((i + 1) % QUERY_PARALLEL === 0 ? '\nwait' : '')),
    'wait',
    ...(opts.checkPlatform
      ? [
          `cat /q/out/*/br 2>/dev/null | sort -u | while IFS= read -r r; do`,
          `  if rpm -q --whatprovides "$r" >/dev/null 2>&1${repoCheck}; then printf '%s\\n' "$r"; fi`,
          'done >/q/satisfied',
        ]
      : []),
  ].join('\n');
}

/** rpm reports some errors (e.g. of a query format) and exits 0 all the same. */
const FAIL_ON_RPM_ERROR = `  if grep -q '^error: ' "$d/err"; then echo failed >"$d/failed"; fi`;

/** q NAME SPEC OPTIONS...: the query with rpmspec (rpm >= 4.9). */
const RPMSPEC_QUERY = [
  'q() { n=$1; s=$2; shift 2; d=/q/out/$n; mkdir -p "$d"',
  '  { rpmspec -P "$@" "$s" >"$d/parsed" &&',
  '    rpmspec -q --buildrequires "$@" "$s" >"$d/br" &&',
  `    rpmspec -q --qf '%{NAME}\\t%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}.rpm\\n' "$@" "$s" >"$d/names" &&`,
  // %{=NAME}: the one NAME repeated along the Provides array (a plain %{NAME} makes rpm refuse the
  // format for any package with more than one Provides, and rpmspec still exits 0).
  `    rpmspec -q --qf '[%{=NAME}\\t%{PROVIDENAME}\\n]' "$@" "$s" >"$d/provides"; } 2>"$d/err" || echo failed >"$d/failed"`,
  FAIL_ON_RPM_ERROR,
  '}',
];

/** Where the query container finds the Python helper of RPM_PYTHON_QUERY. */
const SPEC_QUERY_PY = 'specquery.py';

/**
 * q NAME SPEC OPTIONS...: the query where rpm has no rpmspec (EL6's rpm 4.8). rpm's Python bindings
 * parse the spec (rpm.spec: subpackages, Provides, Source/Patch lines); the BuildRequires are read
 * from the header of a source RPM that `rpmbuild -bs --nodeps` makes of the spec with blank stand-ins
 * of its sources (rpm 4.8 keeps them nowhere else). The Python is yum's own (python 2.6 on EL6).
 */
const RPM_PYTHON_QUERY = [
  'py=',
  'for c in /usr/bin/python /usr/bin/python2 /usr/bin/python3 /usr/libexec/platform-python; do',
  `  if [ -x "$c" ] && "$c" -c 'import rpm; rpm.spec' >/dev/null 2>&1; then py=$c; break; fi`,
  'done',
  'q() { n=$1; s=$2; shift 2; d=/q/out/$n; mkdir -p "$d/sources" "$d/srpm" "$d/top"',
  `  if [ -z "$py" ]; then echo "no Python with rpm's bindings (rpm.spec) in the image: install rpm-python" >"$d/err"; echo failed >"$d/failed"; return; fi`,
  `  { "$py" /q/${SPEC_QUERY_PY} "$s" "$d" "$@" &&`,
  // 64 blanks: newer rpm reads the first bytes of each file to tell its compression.
  `    while IFS= read -r f; do printf '%64s' '' >"$d/sources/$f"; done <"$d/sourcefiles" &&`,
  '    rpmbuild -bs --nodeps --define "_topdir $d/top" --define "_sourcedir $d/sources" --define "_srcrpmdir $d/srpm" "$@" "$s" >"$d/rpmbuild.log" &&',
  `    rpm -qp --requires "$d"/srpm/*.rpm | sed '/^rpmlib(/d' >"$d/br"; } 2>"$d/err" || echo failed >"$d/failed"`,
  FAIL_ON_RPM_ERROR,
  '}',
];

/**
 * The Python helper: python 2.6 (EL6) to 3. argv: spec, output folder, then rpmbuild's own options
 * (--define 'name body', --with X, --without X: rpmbuild's aliases for _with_X / _without_X macros).
 */
export const SPEC_QUERY_PYTHON = `# Generated by diracos build-rpms: reads a spec with rpm's own parser (for rpm without rpmspec).
import os
import sys

import rpm

ISSOURCE = getattr(rpm, 'RPMBUILD_ISSOURCE', 1)
ISPATCH = getattr(rpm, 'RPMBUILD_ISPATCH', 2)
ISNO = getattr(rpm, 'RPMBUILD_ISNO', 8)


def text(value):
    if isinstance(value, bytes) and not isinstance(value, str):
        return value.decode('utf-8', 'replace')
    return value


def values(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [text(v) for v in value]
    return [text(value)]


def write(out, name, lines):
    f = open(os.path.join(out, name), 'w')
    try:
        for line in lines:
            f.write(line + '\\n')
    finally:
        f.close()


def main(argv):
    spec_file, out, args = argv[1], argv[2], argv[3:]
    i = 0
    while i + 1 < len(args):
        opt, value = args[i], args[i + 1]
        if opt == '--define':
            parts = value.split(None, 1)
            rpm.addMacro(parts[0], len(parts) > 1 and parts[1] or '')
        elif opt == '--with':
            rpm.addMacro('_with_' + value, '--with-' + value)
        elif opt == '--without':
            rpm.addMacro('_without_' + value, '--without-' + value)
        else:
            sys.stderr.write('error: specquery: unknown option %s\\n' % opt)
            return 1
        i += 2
    if i != len(args):
        sys.stderr.write('error: specquery: option %s without a value\\n' % args[i])
        return 1
    spec = rpm.spec(spec_file)
    parsed = []
    files = []
    for source, num, flags in spec.sources:
        source = text(source)
        if flags & ISSOURCE:
            parsed.append((0, num, 'Source%d: %s' % (num, source)))
        if flags & ISPATCH:
            parsed.append((1, num, 'Patch%d: %s' % (num, source)))
        if not flags & ISNO:
            files.append(source.rstrip('/').split('/')[-1])
    names = []
    provides = []
    for pkg in spec.packages:
        h = pkg.header
        name = text(h[rpm.RPMTAG_NAME])
        nvra = (name, text(h[rpm.RPMTAG_VERSION]), text(h[rpm.RPMTAG_RELEASE]), text(h[rpm.RPMTAG_ARCH]))
        names.append('%s\\t%s-%s-%s.%s.rpm' % ((name,) + nvra))
        for cap in values(h[rpm.RPMTAG_PROVIDENAME]):
            provides.append('%s\\t%s' % (name, cap))
    parsed.sort()
    write(out, 'parsed', [line for _, _, line in parsed])
    write(out, 'sourcefiles', files)
    write(out, 'names', names)
    write(out, 'provides', provides)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
`;

/** Shell that declares the image's DEBIAN_PROVIDES rows and libraries in a virtual RPM and registers it. */
function platformProvidesScript(): string[] {
  const rows = DEBIAN_PROVIDES.map((r) => `[ -e ${shQuote(r.when)} ] && printf '%s\\n' ${shJoin([r.when, ...r.provides])}`);
  return [
    'mkdir -p /q/platform /tmp/pp',
    '{',
    ...rows.map((r) => `  ${r}`),
    `  for f in ${DEBIAN_LIBRARY_GLOBS.join(' ')}; do if [ -e "$f" ]; then printf '%s\\0' "$f"; fi; done | xargs -0 -r /usr/lib/rpm/elfdeps --provides`,
    '  true',
    '} | sort -u >/q/platform/provides.txt',
    '{',
    `  printf '%s\\n' 'Name: ${PLATFORM_PROVIDES_NAME}' 'Version: 1' 'Release: 1' 'License: GPL-3.0-only' 'BuildArch: noarch'`,
    `  printf '%s\\n' 'Summary: What the build platform provides outside rpm (generated)'`,
    `  sed 's/^/Provides: /' /q/platform/provides.txt`,
    `  printf '%s\\n' '%description' 'Generated by diracos build-rpms.' '%files'`,
    '} >/tmp/pp/pp.spec',
    `rpmbuild -bb --quiet --define '_topdir /tmp/pp' --define '_rpmdir /q/platform' /tmp/pp/pp.spec >/q/platform/build.log 2>&1 || { cat /q/platform/build.log >&2; exit 1; }`,
    `rpm -i --justdb --nodeps --noscripts --nosignature /q/platform/noarch/${PLATFORM_PROVIDES_NAME}-1-1.noarch.rpm`,
  ];
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}
