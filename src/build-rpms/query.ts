import { copyFile, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedPackage } from '../manifest/resolve.js';
import type { PlatformSpec } from '../manifest/types.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';
import { dnfRepoArgs } from './dnf.js';
import { DEBIAN_LIBRARY_GLOBS, DEBIAN_PROVIDES, FAMILY_RULES, PLATFORM_PROVIDES_NAME } from './platform-rules.js';
import { rpmOptions, shJoin, shQuote } from './shell.js';
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
 * One container of the build image queries every spec (rpmspec runs with the platform's own macros),
 * builds the platform-provides RPM where needed and checks which BuildRequires the platform satisfies.
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
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'out'), { recursive: true });
  const treesRoot = join(trees[0]?.dir ?? join(dir, 'none'), '..');
  const script = [
    'set -o pipefail',
    ...(rules.platformProvidesRpm ? platformProvidesScript() : []),
    'q() { n=$1; s=$2; shift 2; d=/q/out/$n; mkdir -p "$d"',
    '  { rpmspec -P "$@" "$s" >"$d/parsed" &&',
    '    rpmspec -q --buildrequires "$@" "$s" >"$d/br" &&',
    `    rpmspec -q --qf '%{NAME}\\t%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}.rpm\\n' "$@" "$s" >"$d/names" &&`,
    `    rpmspec -q --qf '[%{NAME}\\t%{PROVIDENEVRS}\\n]' "$@" "$s" >"$d/provides"; } 2>"$d/err" || echo failed >"$d/failed"`,
    '}',
    // Each spec in the background, QUERY_PARALLEL at a time (plain `wait`: EL6's bash has no `wait -n`).
    ...trees.map(
      (t, i) =>
        `q ${shQuote(t.name)} ${shQuote(`/trees/${t.name}/SPECS/${t.spec.split('/').pop()}`)} ${shJoin(rpmOptions(packages.get(t.name)!, 'rpmspec'))} &` +
        ((i + 1) % QUERY_PARALLEL === 0 ? '\nwait' : ''),
    ),
    'wait',
    ...(opts.checkPlatform
      ? [
          `cat /q/out/*/br 2>/dev/null | sort -u | while IFS= read -r r; do`,
          `  if rpm -q --whatprovides "$r" >/dev/null 2>&1${rules.systemRepos ? ` || dnf -q repoquery ${shJoin(dnfRepoArgs(platform, rules, []))} --whatprovides "$r" 2>/dev/null | grep -q .` : ''}; then printf '%s\\n' "$r"; fi`,
          'done >/q/satisfied',
        ]
      : []),
  ].join('\n');
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
      throw new DiracosError(`package '${t.name}': rpmspec cannot parse the spec:\n${(await read('err')).trim().split('\n').slice(-10).join('\n')}`, {
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

/** Shell that declares the image's DEBIAN_PROVIDES rows and libraries in a virtual RPM and registers it. */
function platformProvidesScript(): string[] {
  const rows = DEBIAN_PROVIDES.map((r) => `[ -e ${shQuote(r.when)} ] && printf '%s\\n' ${shJoin([r.when, ...r.provides])}`);
  return [
    'mkdir -p /q/platform /tmp/pp',
    '{',
    ...rows.map((r) => `  ${r}`),
    `  ls -1d ${DEBIAN_LIBRARY_GLOBS.join(' ')} 2>/dev/null | xargs -r /usr/lib/rpm/elfdeps --provides`,
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
