/**
 * The mock configuration of one build platform, written in full (no include of /etc/mock/*.cfg):
 * our repository first and preferred, then the platform's base repositories with the packages our
 * repository already holds excluded, and nothing else (no EPEL, no host repo files).
 */
import type { PlatformSpec } from '../manifest/types.js';
import { DiracosError } from '../shared/errors.js';
import { PACKAGE_MANAGER_RULES, targetRules } from './mock-rules.js';

export interface MockConfigOptions {
  /** Our RPM repository as seen where mock runs (a file:// baseurl is made of it). */
  repoDir: string;
  /** The repository's buildOnly part (packages used to build, never bundled). */
  buildOnlyDir?: string;
  /**
   * RPM names (globs allowed) hidden in the base repositories so ours win: those our repository
   * already holds. A name we rebuild but do not hold yet must stay visible there, or what the chroot
   * setup itself needs (bzip2, xz, zlib, rpm...) could not be installed before ours exist.
   */
  ourPackages: readonly string[];
  /** SOURCE_DATE_EPOCH in the chroot's environment (rpm's build time and file times). */
  sourceDateEpoch: number;
  arch: string;
  cores: number;
  /** Replace the baseurl of base repositories by name (e.g. a vault or a local mirror). */
  baseurls?: Readonly<Record<string, string>>;
}

/** Repo ids of our own repositories. */
export const OUR_REPO = 'diracos';
export const OUR_BUILD_ONLY_REPO = 'diracos-buildonly';

/** Repositories that must never be used: their packages would end up in the bundle without being rebuilt. */
const FORBIDDEN_REPO = /epel/i;

/**
 * Compression through the parallel tools when the build root has them (our repo may carry them;
 * on EL6/EL7 they live in EPEL, which we never use), else the standard ones.
 */
const COMPRESSION_MACROS: Readonly<Record<string, string>> = {
  '%__gzip': '%(command -v pigz || echo /usr/bin/gzip)',
  '%__bzip2': '%(command -v lbzip2 || echo /usr/bin/bzip2)',
};

const PACKAGE_GLOB = /^[A-Za-z0-9._+*?[\]-]+$/;

export function mockRoot(platform: PlatformSpec, arch: string): string {
  return `diracos-${platform.name}-${arch}`;
}

export function mockConfig(platform: PlatformSpec, opts: MockConfigOptions): string {
  const where = `platforms[${platform.name}]`;
  const { rules, releasever } = targetRules(platform);
  const pm = PACKAGE_MANAGER_RULES[rules.packageManager];
  if (!Number.isInteger(opts.cores) || opts.cores < 1) throw new DiracosError(`mock: cores must be a positive integer (got ${opts.cores})`);
  if (!/^[A-Za-z0-9_]+$/.test(opts.arch)) throw new DiracosError(`mock: invalid arch ${JSON.stringify(opts.arch)}`);
  if (!Number.isSafeInteger(opts.sourceDateEpoch) || opts.sourceDateEpoch < 1) {
    throw new DiracosError(`mock: SOURCE_DATE_EPOCH must be a positive integer (got ${opts.sourceDateEpoch})`);
  }
  for (const name of opts.ourPackages) {
    if (!PACKAGE_GLOB.test(name)) throw new DiracosError(`mock: ${JSON.stringify(name)} is not an RPM name or glob`);
  }

  const baseRepos = platform.baseRepos ?? [];
  if (baseRepos.length === 0) throw new DiracosError(`${where}.baseRepos: the mock backend needs the platform's base repositories`);
  const names = new Set<string>();
  for (const [i, repo] of baseRepos.entries()) {
    if (repo.name === OUR_REPO || repo.name === OUR_BUILD_ONLY_REPO || names.has(repo.name)) {
      throw new DiracosError(`${where}.baseRepos[${i}].name: repo id '${repo.name}' is used twice or is one of ours`);
    }
    names.add(repo.name);
    if (FORBIDDEN_REPO.test(repo.name) || FORBIDDEN_REPO.test(opts.baseurls?.[repo.name] ?? repo.baseurl)) {
      throw new DiracosError(`${where}.baseRepos[${i}]: EPEL is never used; everything beyond the base OS is rebuilt by us`);
    }
  }
  for (const name of Object.keys(opts.baseurls ?? {})) {
    if (!names.has(name)) throw new DiracosError(`mock: baseurl override for '${name}', which is not in ${where}.baseRepos (${[...names].join(', ')})`);
  }

  const distTag = platform.mock?.distTag ?? rules.distTag.replace('{releasever}', releasever);
  const chrootSetup = platform.mock?.chrootSetup ?? rules.chrootSetup;
  const excludes = [...new Set(opts.ourPackages)].sort();

  const ours = (id: string, name: string, dir: string): string[] => [
    `[${id}]`,
    `name=${name}`,
    `baseurl=${fileUrl(dir)}`,
    'enabled=1',
    'gpgcheck=0',
    'skip_if_unavailable=False',
    'metadata_expire=0',
    ...pm.oursExtra,
    '',
  ];
  const conf = [
    '[main]',
    'keepcache=1',
    'debuglevel=2',
    // No repo files of the host or the chroot: only the repositories below exist.
    'reposdir=/dev/null',
    `logfile=${pm.logfile}`,
    'retries=20',
    'obsoletes=1',
    'gpgcheck=0',
    'assumeyes=1',
    'syslog_ident=mock',
    'syslog_device=',
    'metadata_expire=0',
    'mdpolicy=group:primary',
    'protected_packages=',
    ...rules.mainExtra.map((l) => l.replace('{releasever}', releasever)),
    '',
    // Ours first: listed first, lowest cost, highest priority.
    ...ours(OUR_REPO, 'DIRACOS rebuilt packages', opts.repoDir),
    ...(opts.buildOnlyDir ? ours(OUR_BUILD_ONLY_REPO, 'DIRACOS build-only packages', opts.buildOnlyDir) : []),
    ...baseRepos.flatMap((repo) => [
      `[${repo.name}]`,
      `name=${repo.name}`,
      `baseurl=${opts.baseurls?.[repo.name] ?? repo.baseurl}`,
      'enabled=1',
      // The manifest carries no keys for the vault mirrors; the transport is https.
      'gpgcheck=0',
      'skip_if_unavailable=False',
      'priority=99',
      'cost=1000',
      ...(excludes.length ? [`${pm.excludeKey}=${excludes.join(' ')}`] : []),
      '',
    ]),
  ];
  for (const line of conf) checkConfLine(line);

  const lines = [
    `# Generated by diracos for platform ${platform.name} (${platform.image}); do not edit.`,
    `config_opts['root'] = ${py(mockRoot(platform, opts.arch))}`,
    `config_opts['target_arch'] = ${py(opts.arch)}`,
    `config_opts['legal_host_arches'] = (${py(opts.arch)},)`,
    `config_opts['releasever'] = ${py(releasever)}`,
    `config_opts['chroot_setup_cmd'] = ${py(`install ${chrootSetup.join(' ')}`)}`,
    `config_opts['dist'] = ${py(distTag.replace(/^\./, ''))}`,
    `config_opts['package_manager'] = ${py(rules.packageManager)}`,
    `config_opts['use_bootstrap'] = ${pyBool(rules.useBootstrap)}`,
    `config_opts['use_bootstrap_image'] = False`,
    // Inside a container there is no systemd-nspawn: 'isolation' for mock >= 2.2, use_nspawn for older.
    `config_opts['isolation'] = 'simple'`,
    `config_opts['use_nspawn'] = False`,
    `config_opts['print_main_output'] = True`,
    // Added to mock's default environment of the chroot (rpmbuild runs there): reproducible RPMs.
    `config_opts['environment']['SOURCE_DATE_EPOCH'] = ${py(String(opts.sourceDateEpoch))}`,
    `config_opts['macros']['%dist'] = ${py(distTag)}`,
    `config_opts['macros']['%_smp_mflags'] = ${py(`-j${opts.cores}`)}`,
    ...Object.entries(COMPRESSION_MACROS).map(([k, v]) => `config_opts['macros'][${py(k)}] = ${py(v)}`),
    `config_opts[${py(pm.confKey)}] = """`,
    ...conf,
    `"""`,
    '',
  ];
  return lines.join('\n');
}

function fileUrl(dir: string): string {
  if (!dir.startsWith('/')) throw new DiracosError(`mock: repository path must be absolute inside the build container (got ${JSON.stringify(dir)})`);
  return `file://${dir}`;
}

/** A Python string literal. Mock renders config values with jinja2, so template markers are refused too. */
function py(value: string): string {
  checkValue(value);
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function pyBool(value: boolean): string {
  return value ? 'True' : 'False';
}

function checkValue(value: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f]/.test(value) || /\{\{|\{%|\{#/.test(value)) {
    throw new DiracosError(`mock: value ${JSON.stringify(value)} contains a control character or a jinja2 marker`);
  }
}

/** Lines of the triple-quoted yum.conf / dnf.conf: no quotes or backslashes that would end or alter the string. */
function checkConfLine(line: string): void {
  checkValue(line);
  if (/["\\]/.test(line)) throw new DiracosError(`mock: repository setting ${JSON.stringify(line)} contains a quote or a backslash`);
}
