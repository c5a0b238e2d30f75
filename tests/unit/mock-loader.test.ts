/**
 * The generated mock configs loaded by mock's own config code (mockbuild.config.simple_load_config,
 * from mock's source pinned in ../shared/vendor) under Debian's /usr/bin/python3, next to
 * mock-core-configs' own end-of-life CentOS 6/7 configs, the field's reference for vault URLs, chroot
 * setup and yum. The EL platforms of the test take their base repositories from those references.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockConfig, OUR_BUILD_ONLY_REPO, OUR_REPO } from '../../src/build-rpms/mock-config.js';
import { buildRootPackages } from '../../src/build-rpms/mock-rules.js';
import type { PlatformSpec } from '../../src/manifest/types.js';
import { loadManifest } from '../../src/manifest/load.js';
import { nodeExec } from '../../src/shared/exec.js';

const VENDOR = resolve(import.meta.dirname, '../../../shared/vendor');
const MOCK_PY = join(VENDOR, 'mock/mock/py');
const EOL = join(VENDOR, 'mock/mock-core-configs/etc/mock/eol');
const present = existsSync(join(MOCK_PY, 'mockbuild/config.py')) && existsSync(join(EOL, 'centos-7-x86_64.cfg'));
if (!present) console.warn(`mock-loader.test.ts: skipped, ${VENDOR} (mock's pinned sources) is absent`);

/** What the tests read of a loaded config: a few options and the parsed repo sections of yum.conf / dnf.conf. */
interface Loaded {
  opts: Record<string, unknown>;
  repos: Array<{ id: string; options: Record<string, string> }>;
}

/**
 * Loads `cfg` with mock's code and returns what the tests check. configPath: where mock looks for
 * site-defaults.cfg and included files (mock's own etc/mock for ours, mock-core-configs' for the references).
 */
async function load(cfg: string, configPath = join(VENDOR, 'mock/mock/etc/mock')): Promise<Loaded> {
  const script = `
import configparser, json, sys, warnings
warnings.simplefilter('ignore')
sys.path[:0] = [${JSON.stringify(MOCK_PY)}, ${JSON.stringify(join(VENDOR, 'templated-dictionary'))}]
from mockbuild.config import simple_load_config
c = simple_load_config(sys.argv[1], config_path=sys.argv[2])
keys = ['root', 'target_arch', 'releasever', 'dist', 'package_manager', 'chroot_setup_cmd', 'use_bootstrap', 'use_bootstrap_image',
        'bootstrap_image', 'isolation', 'environment', 'macros', 'yum.conf', 'dnf.conf']
opts = {k: c[k] for k in keys if k in c}
conf = c['yum.conf'] if c['package_manager'] == 'yum' else c['dnf.conf']
ini = configparser.RawConfigParser(strict=True)
ini.read_string(conf)
repos = [{'id': s, 'options': dict(ini.items(s))} for s in ini.sections() if s != 'main']
print(json.dumps({'opts': opts, 'repos': repos}, default=str))
`;
  const { stdout } = await nodeExec('/usr/bin/python3', ['-c', script, cfg, configPath]);
  return JSON.parse(stdout) as Loaded;
}

describe.skipIf(!present)("generated mock configs read by mock's own loader", () => {
  let work: string;
  const reference = new Map<string, Loaded>();
  const ours = new Map<string, Loaded>();
  /** The reference's enabled repositories, as a manifest would declare them. */
  const baseRepos = (ref: Loaded) =>
    ref.repos.filter((r) => r.options['enabled'] !== '0' && !r.id.startsWith('centos-sclo')).map((r) => ({ name: r.id, baseurl: r.options['baseurl']! }));
  const platforms = (): Record<string, PlatformSpec> => ({
    slc6: { name: 'slc6', image: 'centos:6', family: 'el', baseRepos: baseRepos(reference.get('6')!), mock: { releasever: '6' } },
    cc7: { name: 'cc7', image: 'centos:7', family: 'el', baseRepos: baseRepos(reference.get('7')!), mock: { releasever: '7' } },
    fedora: {
      name: 'fedora',
      image: 'fedora:41',
      family: 'fedora',
      baseRepos: [{ name: 'fedora', baseurl: 'https://dl.fedoraproject.org/pub/fedora/linux/releases/41/Everything/$basearch/os/' }],
      mock: { releasever: '41' },
    },
  });

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'mock-loader-'));
    for (const release of ['6', '7']) reference.set(release, await load(join(EOL, `centos-${release}-x86_64.cfg`), join(EOL, '..')));
    for (const [name, platform] of Object.entries(platforms())) {
      const file = join(work, `diracos-${name}-x86_64.cfg`);
      // Our repository holds bzip2 and zlib already (xz, rpm... are rebuilt later: not hidden yet).
      writeFileSync(file, mockConfig(platform, { repoDir: '/diracos/repo', buildOnlyDir: '/diracos/buildonly', ourPackages: ['zlib', 'bzip2'], sourceDateEpoch: 1700000000, arch: 'x86_64', cores: 4 }));
      ours.set(name, await load(file));
    }
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each(['slc6', 'cc7', 'fedora'])(
    "%s: ours first, the base repositories hiding exactly what our repository holds, SOURCE_DATE_EPOCH in the chroot, no EPEL",
    (name) => {
      const { opts, repos } = ours.get(name)!;
      const platform = platforms()[name]!;
      expect(repos.map((r) => r.id)).toEqual([OUR_REPO, OUR_BUILD_ONLY_REPO, ...platform.baseRepos!.map((r) => r.name)]);
      const exclude = platform.family === 'el' ? 'exclude' : 'excludepkgs';
      for (const r of repos) {
        if (r.id.startsWith('diracos')) {
          expect(r.options).toMatchObject({ baseurl: `file:///diracos/${r.id === OUR_REPO ? 'repo' : 'buildonly'}`, priority: '1', gpgcheck: '0' });
          expect(r.options[exclude]).toBeUndefined();
        } else {
          expect(r.options).toMatchObject({ baseurl: platform.baseRepos!.find((b) => b.name === r.id)!.baseurl, enabled: '1', [exclude]: 'bzip2 zlib' });
        }
      }
      // Added to mock's default environment of the chroot, whose own variables stay.
      expect(opts['environment']).toMatchObject({ SOURCE_DATE_EPOCH: '1700000000', HOME: '/builddir', PATH: '/usr/bin:/bin:/usr/sbin:/sbin' });
      expect(opts['macros']).toMatchObject({ '%dist': `.${String(opts['dist'])}`, '%_smp_mflags': '-j4' });
      expect(opts).toMatchObject({ root: `diracos-${name}-x86_64`, target_arch: 'x86_64', releasever: platform.mock!.releasever });
      expect(JSON.stringify({ opts, repos })).not.toMatch(/epel/i);
    },
  );

  it.each([
    ['slc6', '6'],
    ['cc7', '7'],
  ])("%s: as mock-core-configs' EOL CentOS config: its vault repositories, yum, dist, its build root (a superset), and a reproducible chroot", (name, release) => {
    const { opts, repos } = ours.get(name)!;
    const ref = reference.get(release)!;
    // The reference's enabled vault repositories, which the test platform declares as its baseRepos.
    expect(repos.filter((r) => !r.id.startsWith('diracos')).map((r) => [r.id, r.options['baseurl']])).toEqual(baseRepos(ref).map((r) => [r.name, r.baseurl]));
    expect(baseRepos(ref).every((r) => r.baseurl.startsWith(`https://vault.centos.org/${release === '6' ? '6.10' : '7.9.2009'}/`))).toBe(true);
    expect(opts).toMatchObject({ package_manager: 'yum', releasever: ref.opts['releasever'], dist: ref.opts['dist'] });
    expect(ref.opts['package_manager']).toBe('yum');
    const setup = String(opts['chroot_setup_cmd']).split(' ');
    expect(setup[0]).toBe('install');
    expect(setup.slice(1)).toEqual(expect.arrayContaining(String(ref.opts['chroot_setup_cmd']).split(' ').slice(1)));
    expect(setup.slice(1)).toEqual([...buildRootPackages(platforms()[name]!)]);
    // The reference bootstraps from a registry image; ours runs mock inside the platform's own image.
    expect(ref.opts['bootstrap_image']).toMatch(/centos:[67]$/);
    expect(opts).toMatchObject({ use_bootstrap: false, use_bootstrap_image: false, isolation: 'simple' });
    expect(opts['environment']).toMatchObject({ SOURCE_DATE_EPOCH: '1700000000' });
    expect(ref.opts['environment']).not.toHaveProperty('SOURCE_DATE_EPOCH');
  });

  it('fedora: dnf with its release, and SOURCE_DATE_EPOCH in the chroot', () => {
    expect(ours.get('fedora')!.opts).toMatchObject({ package_manager: 'dnf', releasever: '41', dist: 'fc41', use_bootstrap: true, environment: { SOURCE_DATE_EPOCH: '1700000000' } });
  });

  it("the root manifest's build platform (cc7, as diracos.yaml writes it): mock loads its config; the vault's repositories as mock-core-configs has them, no EPEL, gdb in the build root", async () => {
    const root = loadManifest(resolve(import.meta.dirname, '../../diracos.yaml'));
    const cc7 = root.buildPlatform;
    expect(cc7.name).toBe('cc7');
    const file = join(work, 'root-cc7.cfg');
    writeFileSync(file, mockConfig(cc7, { repoDir: '/diracos/repo', buildOnlyDir: '/diracos/buildonly', ourPackages: ['zlib'], sourceDateEpoch: 946684800, arch: 'x86_64', cores: 2 }));
    const { opts, repos } = await load(file);
    const ref = reference.get('7')!;
    const urls = (list: Array<{ options: Record<string, string> }>) => list.map((r) => r.options['baseurl']?.replace('$basearch', 'x86_64').replace(/\/$/, ''));
    // every enabled vault repository of the field's reference config, with the same URL
    expect(urls(repos)).toEqual(expect.arrayContaining(urls(ref.repos.filter((r) => r.options['enabled'] !== '0' && !r.id.startsWith('centos-sclo')))));
    expect(JSON.stringify(repos).toLowerCase()).not.toContain('epel');
    expect(opts).toMatchObject({ package_manager: 'yum', releasever: '7', environment: { SOURCE_DATE_EPOCH: '946684800' } });
    expect(String(opts['chroot_setup_cmd']).split(' ')).toContain('gdb');
  });
});
