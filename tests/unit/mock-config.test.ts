import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { mockConfig, OUR_BUILD_ONLY_REPO, OUR_REPO } from '../../src/build-rpms/mock-config.js';
import { TARGET_RULES } from '../../src/build-rpms/mock-rules.js';
import { validateManifestText } from '../../src/manifest/validate.js';
import type { PlatformSpec } from '../../src/manifest/types.js';
import { DiracosError } from '../../src/shared/errors.js';

const EXAMPLES = join(import.meta.dirname, '../../examples/platforms');

/** The platform snippet of examples/platforms/<file>, checked by the real manifest validator. */
function examplePlatform(file: string): PlatformSpec {
  const platforms = parseYaml(readFileSync(join(EXAMPLES, file), 'utf8')) as PlatformSpec[];
  const manifest = {
    version: '1.0.0',
    repository: 'repo',
    python: { version: '3.11.9', source: { url: 'https://example.org/Python-3.11.9.tgz', sha256: '0'.repeat(64) } },
    build: { platform: platforms[0]!.name, packageGroups: [{ name: 'g', packages: [{ name: 'zlib', srpm: { url: 'https://example.org/zlib.src.rpm', sha256: '1'.repeat(64) } }] }] },
    platforms,
  };
  const { manifest: m, problems } = validateManifestText(JSON.stringify(manifest), `${file} (embedded)`);
  expect(problems).toEqual([]);
  return m!.platforms[0]!;
}

/**
 * A tiny reader of the config mock will exec: `config_opts[k1][k2] = <literal>` with Python literals
 * '...' (with \\ and \' escapes), True/False, ('x',) tuples and """...""" blocks.
 */
function parseMockConfig(text: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '' || line.startsWith('#')) continue;
    const m = /^config_opts((?:\['[^']*'\])+) = (.*)$/.exec(line);
    if (!m) throw new Error(`line ${i + 1} is not a config_opts assignment: ${line}`);
    const key = [...m[1]!.matchAll(/\['([^']*)'\]/g)].map((k) => k[1]).join('.');
    const rhs = m[2]!;
    let value: unknown;
    if (rhs === '"""') {
      const body: string[] = [];
      for (i++; lines[i] !== '"""'; i++) {
        if (i >= lines.length) throw new Error(`unterminated """ for ${key}`);
        body.push(lines[i]!);
      }
      value = body.join('\n');
    } else if (rhs === 'True' || rhs === 'False') value = rhs === 'True';
    else if (/^\('(.*)',\)$/.test(rhs)) value = [pyString(rhs.slice(1, -2))];
    else value = pyString(rhs);
    if (out.has(key)) throw new Error(`${key} assigned twice`);
    out.set(key, value);
  }
  return out;
}

function pyString(lit: string): string {
  const m = /^'((?:[^'\\]|\\.)*)'$/.exec(lit);
  if (!m) throw new Error(`not a python string literal: ${lit}`);
  return m[1]!.replace(/\\(.)/g, '$1');
}

/** yum.conf / dnf.conf as ordered sections of key=value. */
function parseIni(text: string): Array<{ id: string; opts: Map<string, string> }> {
  const sections: Array<{ id: string; opts: Map<string, string> }> = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const head = /^\[([^\]]+)\]$/.exec(line);
    if (head) {
      sections.push({ id: head[1]!, opts: new Map() });
      continue;
    }
    const kv = /^([a-z_]+)=(.*)$/.exec(line);
    if (!kv || sections.length === 0) throw new Error(`bad ini line: ${line}`);
    const opts = sections.at(-1)!.opts;
    if (opts.has(kv[1]!)) throw new Error(`duplicate ${kv[1]} in [${sections.at(-1)!.id}]`);
    opts.set(kv[1]!, kv[2]!);
  }
  return sections;
}

const OURS = ['zlib', 'zlib-devel', 'openssl*', 'gdb', 'gdb-headless'];

function build(file: string, extra: Partial<Parameters<typeof mockConfig>[1]> = {}) {
  const platform = examplePlatform(file);
  const text = mockConfig(platform, { repoDir: '/diracos/repo', buildOnlyDir: '/diracos/buildonly', ourPackages: OURS, sourceDateEpoch: 1700000000, arch: 'x86_64', cores: 2, ...extra });
  const cfg = parseMockConfig(text);
  return { platform, text, cfg };
}

describe.each([
  { file: 'el6.yaml', pm: 'yum', conf: 'yum.conf', exclude: 'exclude', dist: 'el6', bootstrap: false, base: ['base', 'updates', 'extras'], util: 'util-linux-ng', rules: 'el6' },
  { file: 'el7.yaml', pm: 'yum', conf: 'yum.conf', exclude: 'exclude', dist: 'el7', bootstrap: false, base: ['base', 'updates', 'extras'], util: 'util-linux', rules: 'el7' },
  { file: 'fedora.yaml', pm: 'dnf', conf: 'dnf.conf', exclude: 'excludepkgs', dist: 'fc42', bootstrap: true, base: ['fedora', 'updates'], util: 'util-linux', rules: 'fedora' },
])('mock config for $file', ({ file, pm, conf, exclude, dist, bootstrap, base, util, rules }) => {
  const { platform, text, cfg } = build(file);

  it('sets root, arch, releasever, dist and the package manager', () => {
    expect(cfg.get('root')).toBe(`diracos-${platform.name}-x86_64`);
    expect(cfg.get('target_arch')).toBe('x86_64');
    expect(cfg.get('legal_host_arches')).toEqual(['x86_64']);
    expect(cfg.get('releasever')).toBe(platform.mock!.releasever);
    expect(cfg.get('dist')).toBe(dist);
    expect(cfg.get('macros.%dist')).toBe(`.${dist}`);
    expect(cfg.get('package_manager')).toBe(pm);
  });

  it('sets bootstrap and isolation for a container', () => {
    expect(cfg.get('use_bootstrap')).toBe(bootstrap);
    expect(cfg.get('use_bootstrap_image')).toBe(false);
    expect(cfg.get('use_nspawn')).toBe(false);
    expect(cfg.get('isolation')).toBe('simple');
  });

  it('writes chroot_setup_cmd explicitly', () => {
    const setup = cfg.get('chroot_setup_cmd') as string;
    expect(setup.split(' ')[0]).toBe('install');
    const pkgs = setup.split(' ').slice(1);
    expect(pkgs).toEqual(platform.mock?.chrootSetup ?? TARGET_RULES[rules]!.chrootSetup);
    expect(pkgs).toContain('rpm-build');
    expect(pkgs).toContain(util);
    expect(setup).not.toMatch(/@/); // no groups: the repos need no comps metadata
  });

  it('sets parallel make and parallel compressors with a fallback', () => {
    expect(cfg.get('macros.%_smp_mflags')).toBe('-j2');
    expect(cfg.get('macros.%__gzip')).toBe('%(command -v pigz || echo /usr/bin/gzip)');
    expect(cfg.get('macros.%__bzip2')).toBe('%(command -v lbzip2 || echo /usr/bin/bzip2)');
  });

  it(`puts the repos in ${conf} only, ours first, then the base repos`, () => {
    expect(cfg.has(conf)).toBe(true);
    expect(cfg.has(conf === 'yum.conf' ? 'dnf.conf' : 'yum.conf')).toBe(false);
    const sections = parseIni(cfg.get(conf) as string);
    expect(sections.map((s) => s.id)).toEqual(['main', OUR_REPO, OUR_BUILD_ONLY_REPO, ...base]);
    const main = sections[0]!.opts;
    expect(main.get('reposdir')).toBe('/dev/null');
    expect(main.get('gpgcheck')).toBe('0');
    expect(main.get('metadata_expire')).toBe('0');
  });

  it('makes our repos file://, unsigned, preferred and protected', () => {
    const sections = parseIni(cfg.get(conf) as string);
    const byId = new Map(sections.map((s) => [s.id, s.opts]));
    expect(byId.get(OUR_REPO)!.get('baseurl')).toBe('file:///diracos/repo');
    expect(byId.get(OUR_BUILD_ONLY_REPO)!.get('baseurl')).toBe('file:///diracos/buildonly');
    for (const id of [OUR_REPO, OUR_BUILD_ONLY_REPO]) {
      const o = byId.get(id)!;
      expect(o.get('enabled')).toBe('1');
      expect(o.get('gpgcheck')).toBe('0');
      expect(o.get('priority')).toBe('1');
      expect(Number(o.get('cost'))).toBeLessThan(1000);
      expect(o.get('protect')).toBe(pm === 'yum' ? '1' : undefined);
      expect(o.has(exclude)).toBe(false);
    }
  });

  it('hides every package we rebuild in every base repo and uses its manifest baseurl', () => {
    const sections = parseIni(cfg.get(conf) as string).filter((s) => base.includes(s.id));
    expect(sections).toHaveLength(base.length);
    for (const { id, opts } of sections) {
      expect(opts.get('baseurl')).toBe(platform.baseRepos!.find((r) => r.name === id)!.baseurl);
      expect(opts.get('enabled')).toBe('1');
      expect(Number(opts.get('priority'))).toBeGreaterThan(1);
      expect(opts.get(exclude)!.split(' ')).toEqual([...OURS].sort());
      expect(opts.has(exclude === 'exclude' ? 'excludepkgs' : 'exclude')).toBe(false);
    }
  });

  it('never mentions EPEL', () => {
    expect(text).not.toMatch(/epel/i);
  });
});

describe('mock config options and refusals', () => {
  const el7 = examplePlatform('el7.yaml');
  const opts = { repoDir: '/diracos/repo', ourPackages: ['zlib'], sourceDateEpoch: 946684800, arch: 'x86_64', cores: 4 };
  const repoIds = (text: string) => parseIni(parseMockConfig(text).get('yum.conf') as string).map((s) => s.id);

  it('overrides a base repo baseurl by name', () => {
    const cfg = parseMockConfig(mockConfig(el7, { ...opts, baseurls: { updates: 'file:///srv/mirror/updates/' } }));
    const sections = parseIni(cfg.get('yum.conf') as string);
    expect(sections.find((s) => s.id === 'updates')!.opts.get('baseurl')).toBe('file:///srv/mirror/updates/');
    expect(sections.find((s) => s.id === 'base')!.opts.get('baseurl')).toBe(el7.baseRepos![0]!.baseurl);
    expect(cfg.get('macros.%_smp_mflags')).toBe('-j4');
  });

  it('leaves out the buildOnly repo when there is none', () => {
    expect(repoIds(mockConfig(el7, opts))).toEqual(['main', OUR_REPO, 'base', 'updates', 'extras']);
  });

  it('writes no exclude line when we rebuild nothing yet', () => {
    expect(mockConfig(el7, { ...opts, ourPackages: [] })).not.toMatch(/^exclude=/m);
  });

  it('deduplicates and sorts the excludes', () => {
    const cfg = parseMockConfig(mockConfig(el7, { ...opts, ourPackages: ['b', 'a', 'b'] }));
    expect(parseIni(cfg.get('yum.conf') as string)[2]!.opts.get('exclude')).toBe('a b');
  });

  it('falls back to the default dist tag and EL8+ dnf rules', () => {
    const el9: PlatformSpec = { ...el7, name: 'el9', mock: { releasever: '9' } };
    const cfg = parseMockConfig(mockConfig(el9, opts));
    expect(cfg.get('macros.%dist')).toBe('.el9');
    expect(cfg.get('package_manager')).toBe('dnf');
    expect(cfg.get('chroot_setup_cmd')).toBe(`install ${TARGET_RULES.el!.chrootSetup.join(' ')}`);
    expect(parseIni(cfg.get('dnf.conf') as string)[0]!.opts.get('module_platform_id')).toBe('platform:el9');
  });

  const refusals: Array<[string, PlatformSpec, Partial<typeof opts> & { baseurls?: Record<string, string> }, RegExp]> = [
    ['an EPEL base repo', { ...el7, baseRepos: [...el7.baseRepos!, { name: 'epel', baseurl: 'https://mirror.invalid/x/' }] }, {}, /platforms\[cc7\]\.baseRepos\[3\].*EPEL/],
    ['an EPEL url', { ...el7, baseRepos: [{ name: 'extra', baseurl: 'https://mirror.invalid/pub/epel/7/' }] }, {}, /EPEL/],
    ['an EPEL override', el7, { baseurls: { base: 'https://mirror.invalid/epel/' } }, /EPEL/],
    ['an override of an unknown repo', el7, { baseurls: { bsae: 'file:///x/' } }, /'bsae'.*base, updates, extras/],
    ['a base repo named like ours', { ...el7, baseRepos: [{ name: OUR_REPO, baseurl: 'file:///x/' }] }, {}, /baseRepos\[0\]\.name/],
    ['no base repos', { ...el7, baseRepos: undefined }, {}, /platforms\[cc7\]\.baseRepos/],
    ['a missing releasever', { ...el7, mock: {} }, {}, /platforms\[cc7\]\.mock\.releasever/],
    ['a debian platform', { ...el7, family: 'debian' }, {}, /family 'debian'/],
    ['EL5', { ...el7, mock: { releasever: '5' } }, {}, /no mock rules for el 5/],
    ['zero cores', el7, { cores: 0 }, /cores/],
    ['a relative repo dir', el7, { repoDir: 'repo' }, /absolute/],
    ['a package name with a space', el7, { ourPackages: ['a b'] }, /"a b"/],
    ['a jinja marker', el7, { repoDir: '/x/{{ root }}' }, /jinja2/],
    ['a quote in a baseurl', el7, { baseurls: { base: 'https://mirror.invalid/"""/' } }, /quote/],
  ];
  it.each(refusals)('refuses %s with a DiracosError', (_what, platform, extra, message) => {
    const run = () => mockConfig(platform, { ...opts, ...extra });
    expect(run).toThrow(DiracosError);
    expect(run).toThrow(message);
  });
});
