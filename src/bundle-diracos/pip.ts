/**
 * The manifest's Python requirements, installed with the bundled interpreter into the bundle tree.
 *
 * pip runs on the host, not in the build platform container: the bundled CPython is relocatable
 * (RPATH $ORIGIN, it needs only the host's glibc, which is at least the build platform's), so it runs
 * from the temp bundle root as it is, local wheelhouses and requirement files need no mounts, and the
 * index is reached with the runner's network settings. Wheels are what DIRAC installs; an sdist with
 * C code would compile against the host's glibc, which the ELF and glibc-ceiling checks then catch.
 *
 * Reproducible and path-free: pip gets --no-compile and a clean environment, then compileall writes
 * checked-hash .pyc files whose co_filename is the in-bundle path (/usr/lib64/...), not the temp root;
 * scripts pip wrote with `#!<root>/usr/bin/python3` are relocated with every other shebang and their
 * RECORD lines re-hashed (refreshRecords); assertNoBuildPath proves nothing still names the root.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, posix, resolve } from 'node:path';
import type { PipSection } from '../manifest/types.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';
import { walkTree } from './walk.js';

/** Where the bundled interpreter is, relative to the bundle root. */
export const BUNDLED_PYTHON = 'usr/bin/python3';

/** A requirement that is a local path (./x, ../x, /x, or a file that ends like a wheel/sdist). */
function isLocalPath(req: string): boolean {
  return /^(\.{1,2}\/|\/)/.test(req) || /\.(whl|tar\.gz|zip|tar\.bz2)$/.test(req);
}

/** The pip install argv (after the interpreter), local paths made absolute against the manifest folder. */
export function pipInstallArgs(pip: PipSection, manifestDir: string, prefix: string): string[] {
  const local = (p: string) => (isAbsolute(p) ? p : resolve(manifestDir, p));
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
    ...(pip.requirementsFile ? ['--requirement', local(pip.requirementsFile)] : []),
    ...(pip.requirements ?? []).map((r) => (isLocalPath(r) ? local(r) : r)),
  ];
}

/** A clean environment for pip: no user site, no user config, no PYTHON* or PIP_* leaking in from the runner. */
export function pipEnv(epoch: number, home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(PYTHON|PIP_|VIRTUAL_ENV|LD_LIBRARY_PATH$)/.test(k)) env[k] = v;
  return { ...env, HOME: home, PYTHONNOUSERSITE: '1', PIP_CONFIG_FILE: '/dev/null', SOURCE_DATE_EPOCH: String(epoch), LC_ALL: 'C.UTF-8' };
}

export function hasPipWork(pip: PipSection | undefined): pip is PipSection {
  return !!pip && ((pip.requirements?.length ?? 0) > 0 || !!pip.requirementsFile);
}

export interface PipResult {
  /** `name==version` per installed distribution (pip list --format=freeze), sorted. */
  freeze: string[];
}

/** site-packages folders of the bundle. */
function siteDirs(root: string): string[] {
  const out: string[] = [];
  for (const e of walkTree(root, 'usr')) if (e.stat.isDirectory() && posix.basename(e.rel) === 'site-packages') out.push(e.path);
  return out.sort();
}

/** Installs `pip`'s requirements into the bundle at `root` with the interpreter at `python` (default the bundled one). */
export async function pipInstall(
  ctx: Context,
  root: string,
  pip: PipSection,
  o: { manifestDir: string; epoch: number; home: string; python?: string; source?: string },
): Promise<PipResult> {
  const python = o.python ?? join(root, BUNDLED_PYTHON);
  const source = o.source ?? 'bundle.pip';
  if (!existsSync(python)) {
    throw new DiracosError(`${source}: requirements are given but the bundle has no ${BUNDLED_PYTHON} (is the Python RPM in the repository?)`, { file: source });
  }
  const env = pipEnv(o.epoch, o.home);
  const install = await ctx.exec(python, pipInstallArgs(pip, o.manifestDir, join(root, 'usr')), { env, allowFailure: true });
  if (install.exitCode !== 0) {
    const tail = install.stderr.trim().split('\n').slice(-15).join('\n');
    throw new DiracosError(`${source}: pip install failed (exit ${install.exitCode}):\n${tail}`, { file: source });
  }
  const sites = siteDirs(root);
  if (sites.length > 0) {
    // -s/-p: co_filename is the in-bundle path; checked-hash: no source mtime in the .pyc.
    await ctx.exec(python, ['-m', 'compileall', '-q', '-j', String(ctx.jobs), '-s', root, '-p', '/', '--invalidation-mode', 'checked-hash', ...sites], { env });
  }
  const list = await ctx.exec(python, ['-m', 'pip', 'list', '--disable-pip-version-check', '--format=freeze', ...sites.flatMap((s) => ['--path', s])], { env });
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
  const needle = Buffer.from(root);
  const found: string[] = [];
  for (const e of walkTree(root)) {
    if (!e.stat.isFile()) continue;
    const inDistInfo = /\.dist-info\//.test(e.rel);
    const isScript = /^(usr\/)?s?bin\//.test(e.rel) && (e.stat.mode & 0o111) !== 0 && e.stat.size < 1 << 20;
    if (!inDistInfo && !isScript) continue;
    const data = readFileSync(e.path);
    if (isScript && !inDistInfo && !(data[0] === 0x23 && data[1] === 0x21)) continue;
    if (data.includes(needle)) found.push(`/${e.rel}`);
  }
  if (found.length > 0) throw new DiracosError(`bundle-diracos: the build path ${root} is left in: ${found.join(', ')}`);
}
