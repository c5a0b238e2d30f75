/**
 * The manifest's Python requirements, installed with the bundled interpreter into the bundle tree.
 *
 * pip runs in a container of the build platform, the bundle root mounted at PIP_ROOT: an sdist
 * with C code is compiled there, against the bundled Python's headers and the build platform's glibc
 * and compiler, like every RPM, never against the host's. Paths in `bundle.pip`: relative ones are the
 * manifest's (copied into the stage folder and mounted at a fixed path, so nothing the build writes
 * lands in the checkout); absolute ones are paths of the build platform (e.g. a wheelhouse its setup
 * installed); URLs are URLs. pip's own build dependencies come from the same index/find-links, and
 * from the wheels the bundled CPython carries for ensurepip (pip, setuptools), always offered last.
 * C code is compiled against the bundle's headers and libraries first (CPPFLAGS/LDFLAGS): the bundled
 * CPython's sysconfig still names its build-time /usr/include/python3.X, which the build platform
 * does not have (or has for another Python).
 *
 * Reproducible and path-free: every folder pip sees is at a fixed path in the container, so what it
 * writes (records, scripts, compiled code) is the same whatever the workdir or checkout. pip gets
 * --no-compile and a clean environment, then compileall writes checked-hash .pyc files whose
 * co_filename is the in-bundle path (/usr/lib64/...); scripts pip wrote with `#!<PIP_ROOT>/usr/bin/python3`
 * are relocated with every other shebang and their RECORD lines re-hashed (refreshRecords);
 * assertNoBuildPath proves nothing still names the build root.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cp, mkdir, rm } from 'node:fs/promises';
import { isAbsolute, join, posix, relative, resolve } from 'node:path';
import { isLocalRequirement, isPipUrl } from '../manifest/paths.js';
import type { PipSection } from '../manifest/types.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';
import { walkTree } from './walk.js';

/** Where the bundled interpreter is, relative to the bundle root. */
export const BUNDLED_PYTHON = 'usr/bin/python3';


/** Where the pip container sees the bundle root, pip's HOME and the manifest's local inputs (fixed paths). */
export const PIP_ROOT = '/tmp/diracos-bundle';
const PIP_HOME = '/tmp/diracos-pip-home';
export const PIP_INPUTS = '/tmp/diracos-pip-inputs';

/**
 * The pip install argv (after the interpreter). `local` maps a relative path of the manifest to the
 * path pip sees (default: made absolute against `manifestDir`); absolute paths are kept.
 */
export function pipInstallArgs(pip: PipSection, manifestDir: string, prefix: string, mapLocal?: (relative: string) => string): string[] {
  const local = (p: string) => (isAbsolute(p) ? p : mapLocal ? mapLocal(p) : resolve(manifestDir, p));
  return [
    '-m',
    'pip',
    'install',
    '--no-cache-dir',
    '--no-compile',
    '--disable-pip-version-check',
    '--no-warn-script-location',
    '--prefix',
    prefix,
    ...(pip.indexUrl ? ['--index-url', pip.indexUrl] : []),
    ...(pip.findLinks ?? []).flatMap((f) => ['--find-links', /^[a-z+]+:\/\//.test(f) ? f : local(f)]),
    ...(pip.noIndex ? ['--no-index'] : []),
    ...(pip.requirementsFile ? ['--requirement', isPipUrl(pip.requirementsFile) ? pip.requirementsFile : local(pip.requirementsFile)] : []),
    ...(pip.requirements ?? []).map((r) => (isLocalRequirement(r) ? local(r) : r)),
  ];
}

/** 1980-01-01: wheels are zip files, which cannot hold an older time (the tarball's own times are set later). */
const ZIP_EPOCH = 315532800;

/** pip's whole environment in the build container: no user site, no user config, nothing of the runner. */
export function pipEnv(epoch: number, home: string): Record<string, string> {
  return {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: home,
    PYTHONNOUSERSITE: '1',
    PIP_CONFIG_FILE: '/dev/null',
    SOURCE_DATE_EPOCH: String(Math.max(epoch, ZIP_EPOCH)),
    LC_ALL: 'C.UTF-8',
  };
}

export function hasPipWork(pip: PipSection | undefined): pip is PipSection {
  return !!pip && ((pip.requirements?.length ?? 0) > 0 || !!pip.requirementsFile);
}

export interface PipResult {
  /** `name==version` per installed distribution (pip list --format=freeze), sorted. */
  freeze: string[];
}

/** -I and -L for the bundle's own headers (the Python ones first) and library folders, at PIP_ROOT. */
export function compileFlags(root: string): Record<string, string> {
  const has = (rel: string) => existsSync(join(root, rel));
  let pythonIncludes: string[] = [];
  try {
    pythonIncludes = readdirSync(join(root, 'usr/include')).filter((n) => /^python3\.\d+$/.test(n)).sort().map((n) => `usr/include/${n}`);
  } catch {
    // no headers in the bundle: nothing to add
  }
  const includes = [...pythonIncludes, ...(has('usr/include') ? ['usr/include'] : [])];
  const libs = ['usr/lib64', 'usr/lib'].filter(has);
  return {
    ...(includes.length > 0 ? { CPPFLAGS: includes.map((i) => `-I${posix.join(PIP_ROOT, i)}`).join(' ') } : {}),
    ...(libs.length > 0 ? { LDFLAGS: libs.map((l) => `-L${posix.join(PIP_ROOT, l)}`).join(' ') } : {}),
  };
}

/** The bundled CPython's ensurepip wheel folders (usr/lib*\/python3.X/ensurepip/_bundled), bundle-relative. */
function ensurepipWheels(root: string): string[] {
  const out: string[] = [];
  for (const lib of ['usr/lib', 'usr/lib64']) {
    let names: string[] = [];
    try {
      names = readdirSync(join(root, lib));
    } catch {
      continue;
    }
    for (const n of names.filter((x) => /^python3\.\d+$/.test(x)).sort()) {
      const dir = posix.join(lib, n, 'ensurepip', '_bundled');
      if (existsSync(join(root, dir))) out.push(dir);
    }
  }
  return out;
}

/** site-packages folders of the bundle. */
function siteDirs(root: string): string[] {
  const out: string[] = [];
  for (const e of walkTree(root, 'usr')) if (e.stat.isDirectory() && posix.basename(e.rel) === 'site-packages') out.push(e.path);
  return out.sort();
}

/** Where pip runs: the build platform's (prepared) image; its env is the platform's `env`. */
export interface PipPlatform {
  image: string;
  env?: Readonly<Record<string, string>>;
}

/** The manifest's local inputs of `pip`: its relative paths (find-links folders, requirements file, local requirements). */
export function pipLocalInputs(pip: PipSection): string[] {
  return [
    ...(pip.findLinks ?? []).filter((f) => !/^[a-z+]+:\/\//.test(f)),
    ...(pip.requirementsFile && !isPipUrl(pip.requirementsFile) ? [pip.requirementsFile] : []),
    ...(pip.requirements ?? []).filter(isLocalRequirement),
  ].filter((p) => !isAbsolute(p));
}

/** What of a local input is not copied for pip: build output of earlier runs. */
export const PIP_INPUT_LEFT_OUT = /\/(build|__pycache__|[^/]*\.egg-info)$/;

/**
 * Copies the manifest's local inputs of `pip` (relative paths) into `dir`, one numbered entry each,
 * and returns how pip sees each relative path (below PIP_INPUTS).
 */
async function stageLocalInputs(pip: PipSection, manifestDir: string, dir: string): Promise<Map<string, string>> {
  const relative = pipLocalInputs(pip);
  const seen = new Map<string, string>();
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const rel of relative) {
    if (seen.has(rel)) continue;
    // n/<its own name>: pip reads wheel and sdist names from the file name
    const name = `${seen.size}/${posix.basename(rel.replace(/\/+$/, '')) || 'input'}`;
    // dereference: a manifest folder may link its inputs in; filter: no build output of earlier runs
    const top = resolve(manifestDir, rel);
    await cp(top, join(dir, name), { recursive: true, dereference: true, filter: (src) => src === top || !PIP_INPUT_LEFT_OUT.test(src) });
    seen.set(rel, `${PIP_INPUTS}/${name}`);
  }
  return seen;
}

/**
 * Installs `pip`'s requirements into the bundle at `root` with its own interpreter, in a container of
 * the build platform (see the top of this file). `stageDir` holds the copied inputs and pip's HOME.
 */
export async function pipInstall(
  ctx: Context,
  root: string,
  pip: PipSection,
  o: { manifestDir: string; epoch: number; stageDir: string; platform: PipPlatform; source?: string },
): Promise<PipResult> {
  const python = posix.join(PIP_ROOT, BUNDLED_PYTHON);
  const source = o.source ?? 'bundle.pip';
  if (!existsSync(join(root, BUNDLED_PYTHON))) {
    throw new DiracosError(`${source}: requirements are given but the bundle has no ${BUNDLED_PYTHON} (is the Python RPM in the repository?)`, { file: source });
  }
  const home = join(o.stageDir, 'pip-home');
  const inputs = join(o.stageDir, 'pip-inputs');
  await mkdir(home, { recursive: true });
  const local = await stageLocalInputs(pip, o.manifestDir, inputs);
  const user = ctx.runtime.name === 'host' ? undefined : `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
  const run = (args: string[]) =>
    ctx.runtime.run({
      image: o.platform.image,
      command: [python, ...args],
      mounts: [
        { source: root, target: PIP_ROOT },
        { source: home, target: PIP_HOME },
        ...(local.size > 0 ? [{ source: inputs, target: PIP_INPUTS }] : []),
      ],
      env: { ...o.platform.env, ...pipEnv(o.epoch, PIP_HOME), ...compileFlags(root) },
      workdir: PIP_HOME,
      user,
      allowFailure: true,
    });
  const ensurepip = ensurepipWheels(root).map((dir) => posix.join(PIP_ROOT, dir));
  const args = pipInstallArgs({ ...pip, findLinks: [...(pip.findLinks ?? []), ...ensurepip] }, o.manifestDir, posix.join(PIP_ROOT, 'usr'), (rel) => local.get(rel) ?? rel);
  const install = await run(args);
  if (install.exitCode !== 0) {
    const tail = install.stderr.trim().split('\n').slice(-15).join('\n');
    throw new DiracosError(`${source}: pip install failed (exit ${install.exitCode}) on the build platform (${o.platform.image}):\n${tail}`, { file: source });
  }
  const sites = siteDirs(root).map((s) => posix.join(PIP_ROOT, relative(root, s)));
  const checked = async (what: string, args: string[]) => {
    const r = await run(args);
    if (r.exitCode !== 0) throw new DiracosError(`${source}: ${what} failed (exit ${r.exitCode}):\n${r.stderr.trim().split('\n').slice(-15).join('\n')}`, { file: source });
    return r;
  };
  if (sites.length > 0) {
    // -s/-p: co_filename is the in-bundle path; checked-hash: no source mtime in the .pyc.
    await checked('compileall', ['-m', 'compileall', '-q', '-j', String(ctx.jobs), '-s', PIP_ROOT, '-p', '/', '--invalidation-mode', 'checked-hash', ...sites]);
  }
  const list = await checked('pip list', ['-m', 'pip', 'list', '--disable-pip-version-check', '--format=freeze', ...sites.flatMap((s) => ['--path', s])]);
  const freeze = list.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  return { freeze };
}

/** RECORD's hash of a file: sha256, urlsafe base64 without padding. */
export function recordHash(data: Buffer): string {
  return `sha256=${createHash('sha256').update(data).digest('base64url')}`;
}

/** Re-hashes the RECORD lines of files changed after pip wrote them (relocated shebangs); returns the RECORDs rewritten. */
export function refreshRecords(root: string, changedRel: readonly string[]): string[] {
  const changed = new Set(changedRel.map((r) => posix.normalize(`/${r}`)));
  const rewritten: string[] = [];
  for (const e of walkTree(root)) {
    if (!e.stat.isFile() || !e.rel.endsWith('.dist-info/RECORD')) continue;
    const base = posix.dirname(posix.dirname(`/${e.rel}`));
    const text = readFileSync(e.path, 'utf8');
    let dirty = false;
    const out = text.split('\n').map((line) => {
      const m = /^("?)(.+?)\1,([^,]*),([^,]*)$/.exec(line);
      if (!m) return line;
      const target = posix.normalize(posix.join(base, m[2]!));
      if (!changed.has(target)) return line;
      const data = readFileSync(join(root, target));
      dirty = true;
      return `${m[1]}${m[2]}${m[1]},${recordHash(data)},${data.length}`;
    });
    if (dirty) {
      const tmp = `${e.path}.diracos-tmp-${process.pid}`;
      writeFileSync(tmp, out.join('\n'), { mode: e.stat.mode & 0o7777 });
      renameSync(tmp, e.path);
      rewritten.push(e.rel);
    }
  }
  return rewritten;
}

/** Fails, naming the files, when a script, RECORD or other dist-info file still holds the temp bundle root's path. */
export function assertNoBuildPath(root: string): void {
  const needles = [Buffer.from(root), Buffer.from(`${PIP_ROOT}/`)];
  const found: string[] = [];
  for (const e of walkTree(root)) {
    if (!e.stat.isFile()) continue;
    const inDistInfo = /\.dist-info\//.test(e.rel);
    const isScript = /^(usr\/)?s?bin\//.test(e.rel) && (e.stat.mode & 0o111) !== 0 && e.stat.size < 1 << 20;
    if (!inDistInfo && !isScript) continue;
    const data = readFileSync(e.path);
    if (isScript && !inDistInfo && !(data[0] === 0x23 && data[1] === 0x21)) continue;
    if (needles.some((n) => data.includes(n))) found.push(`/${e.rel}`);
  }
  if (found.length > 0) throw new DiracosError(`bundle-diracos: the build path (${root} or ${PIP_ROOT}) is left in: ${found.join(', ')}`);
}
