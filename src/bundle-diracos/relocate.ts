/**
 * Makes the bundle relocatable:
 *  - every dynamic ELF gets DT_RPATH `$ORIGIN/<dir>` for each bundle directory holding one of its
 *    NEEDED libraries (patchelf --force-rpath: DT_RPATH, unlike DT_RUNPATH, also serves the libraries
 *    it loads); libraries absent from the bundle (glibc...) are left to the host;
 *  - two different files with the same SONAME in different directories are an error;
 *  - `#!/abs/.../pythonX` shebangs are rewritten to find the interpreter on PATH;
 *  - `diracosrc` is rendered from a template.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';
import { isElfFile, readElf, type ElfInfo } from '../elf/reader.js';
import { realpathInRoot } from '../elf/rootfs.js';
import type { Exec } from '../shared/exec.js';
import { RESERVED_ENVIRONMENT } from '../manifest/policy.js';
import { DiracosError, DiracosErrors } from '../shared/errors.js';
import { walkTree } from './walk.js';

/** Directories preferred when a library name exists in several places (ld.so's defaults first). */
const PREFERRED_LIB_DIRS = ['/usr/lib64', '/lib64', '/usr/lib', '/lib'];
/** How many files one patchelf call takes (all get the same RPATH). */
const PATCHELF_BATCH = 200;

export interface ElfFile {
  rel: string;
  info: ElfInfo;
}

export interface RpathPlan {
  /** bundle-relative file -> new RPATH. */
  rpaths: Map<string, string>;
  /** NEEDED names found nowhere in the bundle, with who needs them (host libraries, or missing). */
  external: Map<string, string[]>;
}

/** Every dynamic ELF (regular file with PT_DYNAMIC content) of the bundle. */
export function findElfFiles(bundle: string): ElfFile[] {
  const out: ElfFile[] = [];
  for (const e of walkTree(bundle)) {
    if (!e.stat.isFile() || e.stat.size < 64 || !isElfFile(e.path)) continue;
    const info = readElf(e.path);
    if (info.type === 'EXEC' || info.type === 'DYN') out.push({ rel: e.rel, info });
  }
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

function digest(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Two different files with one SONAME in different directories: the bundle is ambiguous. */
export function sonameConflicts(bundle: string, elves: readonly ElfFile[]): string[] {
  const bySoname = new Map<string, ElfFile[]>();
  for (const f of elves) if (f.info.soname) bySoname.set(f.info.soname, [...(bySoname.get(f.info.soname) ?? []), f]);
  const problems: string[] = [];
  for (const [soname, files] of bySoname) {
    for (let i = 1; i < files.length; i++) {
      const a = files[0];
      const b = files[i];
      if (posix.dirname(a.rel) === posix.dirname(b.rel)) continue;
      if (digest(posix.join(bundle, a.rel)) !== digest(posix.join(bundle, b.rel))) {
        problems.push(`SONAME ${soname} is provided by two different files: /${a.rel} and /${b.rel}`);
      }
    }
  }
  return problems;
}

/** name -> root-namespace dirs holding an entry (file or symlink) of that name that is a compatible ELF. */
function libraryIndex(bundle: string, elves: readonly ElfFile[]): Map<string, Array<{ dir: string; info: ElfInfo }>> {
  const byReal = new Map(elves.map((e) => [`/${e.rel}`, e.info]));
  const index = new Map<string, Array<{ dir: string; info: ElfInfo }>>();
  for (const e of walkTree(bundle)) {
    if (!e.stat.isFile() && !e.stat.isSymbolicLink()) continue;
    if (!/\.so(\.|$)/.test(e.rel)) continue;
    const real = e.stat.isFile() ? `/${e.rel}` : realpathInRoot(bundle, `/${e.rel}`);
    const info = real ? byReal.get(real) : undefined;
    if (!info) continue;
    const name = posix.basename(e.rel);
    index.set(name, [...(index.get(name) ?? []), { dir: `/${posix.dirname(e.rel)}`.replace(/\/\.$/, '/'), info }]);
  }
  const rank = (d: string) => (PREFERRED_LIB_DIRS.indexOf(d) + PREFERRED_LIB_DIRS.length + 1) % (PREFERRED_LIB_DIRS.length + 1);
  for (const list of index.values()) list.sort((a, b) => rank(a.dir) - rank(b.dir) || a.dir.localeCompare(b.dir));
  return index;
}

/** The RPATH each ELF should carry: `$ORIGIN`-relative dirs of its NEEDED libraries found in the bundle. */
export function planRpaths(bundle: string, elves: readonly ElfFile[]): RpathPlan {
  const index = libraryIndex(bundle, elves);
  const rpaths = new Map<string, string>();
  const external = new Map<string, string[]>();
  for (const f of elves) {
    if (f.info.needed.length === 0) continue;
    const origin = `/${posix.dirname(f.rel)}`;
    const dirs: string[] = [];
    for (const name of f.info.needed) {
      const hit = index
        .get(name)
        ?.find((c) => c.info.elfClass === f.info.elfClass && c.info.machine === f.info.machine);
      if (!hit) {
        external.set(name, [...(external.get(name) ?? []), f.rel]);
        continue;
      }
      const rel = posix.relative(origin, hit.dir);
      const entry = rel ? `$ORIGIN/${rel}` : '$ORIGIN';
      if (!dirs.includes(entry)) dirs.push(entry);
    }
    if (dirs.length > 0) rpaths.set(f.rel, dirs.join(':'));
  }
  return { rpaths, external };
}

/** Checks SONAMEs, then sets every planned RPATH that differs from the current one, batched per value. */
export async function relocateElves(exec: Exec, bundle: string): Promise<RpathPlan & { patched: string[] }> {
  const elves = findElfFiles(bundle);
  const conflicts = sonameConflicts(bundle, elves);
  if (conflicts.length > 0) throw new DiracosErrors(conflicts.map((message) => ({ message })), 'ambiguous libraries in the bundle');
  const plan = planRpaths(bundle, elves);
  const current = new Map(elves.map((e) => [e.rel, e.info]));
  const byValue = new Map<string, string[]>();
  for (const [rel, rpath] of plan.rpaths) {
    const info = current.get(rel);
    if (info?.rpath === rpath && !info.runpath) continue; // already done: re-runs are cheap
    byValue.set(rpath, [...(byValue.get(rpath) ?? []), rel]);
  }
  const patched: string[] = [];
  for (const [rpath, files] of byValue) {
    for (let i = 0; i < files.length; i += PATCHELF_BATCH) {
      const batch = files.slice(i, i + PATCHELF_BATCH);
      await exec('patchelf', ['--force-rpath', '--set-rpath', rpath, ...batch], { cwd: bundle });
      patched.push(...batch);
    }
  }
  return { ...plan, patched };
}

/** Interpreters whose absolute shebangs are rewritten to be found on PATH (the bundle's bin comes first). */
export const RELOCATABLE_INTERPRETERS: readonly RegExp[] = [/^python[0-9.]*$/];

/**
 * The new first line(s) for a shebang, or undefined to keep it.
 *  - `#!/x/bin/python3`        -> `#!/usr/bin/env python3` (env is at /usr/bin/env on every platform)
 *  - `#!/x/bin/python3 -s -E`  -> a /bin/sh trampoline (Linux passes one argument to env, and `env -S`
 *    is too new for EL7): line 2 is both shell (`exec`) and a Python string, distlib's trick.
 */
export function relocatedShebang(line: string): string | undefined {
  const m = /^#!\s*(\/\S+)(?:\s+(.*))?$/.exec(line);
  if (!m) return undefined;
  const name = posix.basename(m[1]);
  if (m[1] === '/usr/bin/env' || !RELOCATABLE_INTERPRETERS.some((re) => re.test(name))) return undefined;
  const args = m[2]?.trim();
  if (!args) return `#!/usr/bin/env ${name}`;
  if (!/^[-A-Za-z0-9_ .=]+$/.test(args)) return undefined;
  return `#!/bin/sh\n'''exec' ${name} ${args} "$0" "$@"\n' '''`;
}

/** Rewrites the shebangs of executable text files; returns the bundle-relative files changed. */
export function relocateShebangs(bundle: string): string[] {
  const changed: string[] = [];
  const head = Buffer.alloc(256);
  for (const e of walkTree(bundle)) {
    if (!e.stat.isFile() || (e.stat.mode & 0o111) === 0 || e.stat.size < 4) continue;
    const fd = openSync(e.path, 'r');
    const n = readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    if (head[0] !== 0x23 || head[1] !== 0x21) continue;
    const end = head.subarray(0, n).indexOf(0x0a);
    if (end < 0) continue;
    const replacement = relocatedShebang(head.toString('utf8', 0, end));
    if (replacement === undefined) continue;
    const body = readFileSync(e.path).subarray(end);
    const tmp = `${e.path}.diracos-tmp-${process.pid}`;
    writeFileSync(tmp, Buffer.concat([Buffer.from(replacement), body]), { mode: e.stat.mode & 0o7777 });
    renameSync(tmp, e.path);
    changed.push(e.rel);
  }
  return changed;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A POSIX-shell word for `value`, with `$DIRACOS` / `${DIRACOS}` left to expand to the bundle root. */
export function shellValue(value: string): string {
  const quote = (s: string) => (s === '' ? '' : `'${s.replace(/'/g, `'\\''`)}'`);
  const parts = value.split(/\$\{DIRACOS\}|\$DIRACOS(?![A-Za-z0-9_])/);
  const word = parts.map(quote).join('"$DIRACOS"');
  return word === '' ? "''" : word;
}

/**
 * Where hosts keep their CA certificates, as OpenSSL reads them (SSL_CERT_FILE: one PEM bundle,
 * SSL_CERT_DIR: a directory of hashed certificates). The bundled OpenSSL only looks under its own
 * build-time /etc/pki/tls, which is EL's layout: elsewhere TLS verification fails unless these are
 * set. diracosrc takes the first that exists on the host, in this order.
 */
export const CA_BUNDLE_FILES: ReadonlyArray<{ path: string; where: string }> = [
  { path: '/etc/pki/tls/certs/ca-bundle.crt', where: 'EL (a link to the extracted bundle from EL7), Fedora' },
  { path: '/etc/ssl/certs/ca-certificates.crt', where: 'Debian, Ubuntu (update-ca-certificates), Arch, Gentoo' },
  { path: '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', where: 'Fedora, EL8 and later (update-ca-trust)' },
  { path: '/etc/ssl/ca-bundle.pem', where: 'openSUSE, SLES' },
  { path: '/var/lib/ca-certificates/ca-bundle.pem', where: 'openSUSE, SLES 15' },
  { path: '/etc/ssl/cert.pem', where: 'Alpine, other OpenSSL/LibreSSL defaults' },
];

export const CA_DIRS: ReadonlyArray<{ path: string; where: string }> = [
  { path: '/etc/ssl/certs', where: 'Debian, Ubuntu, SUSE (hashed); on EL a link to /etc/pki/tls/certs' },
  { path: '/etc/pki/tls/certs', where: 'EL' },
];

/**
 * The CA part of diracosrc: SSL_CERT_FILE and SSL_CERT_DIR, each only when the user has not set it,
 * to the first existing entry of CA_BUNDLE_FILES / CA_DIRS; left unset when the host has none.
 */
function caLines(): string[] {
  const words = (list: ReadonlyArray<{ path: string }>) => list.map((e) => shellValue(e.path)).join(' ');
  return [
    '# The host\'s CA certificates for the bundled OpenSSL, which looks only under /etc/pki/tls (EL\'s layout).',
    'if [ -z "${SSL_CERT_FILE:-}" ]; then',
    `  for _diracos_ca in ${words(CA_BUNDLE_FILES)}; do`,
    '    if [ -f "$_diracos_ca" ] && [ -r "$_diracos_ca" ]; then export SSL_CERT_FILE="$_diracos_ca"; break; fi',
    '  done',
    'fi',
    'if [ -z "${SSL_CERT_DIR:-}" ]; then',
    `  for _diracos_ca in ${words(CA_DIRS)}; do`,
    '    if [ -d "$_diracos_ca" ] && [ -r "$_diracos_ca" ]; then export SSL_CERT_DIR="$_diracos_ca"; break; fi',
    '  done',
    'fi',
    'unset _diracos_ca',
  ];
}

/**
 * The `diracosrc` a user sources: a DIRACOS already set is kept (as DIRACOS v1 did: e.g. a CVMFS path
 * through a symlink); otherwise it finds its own directory (bash's BASH_SOURCE, zsh's %x), so it works
 * from any cwd and under paths with spaces; with DIRACOS set, any POSIX sh can source it. It puts the
 * bundle's bin and sbin dirs first on PATH; unsets LD_LIBRARY_PATH (the RPATHs do its job, and a host
 * one would shadow our libraries) and LESSOPEN (the host's less preprocessor would run with the
 * bundle's libraries); points the bundled OpenSSL at the host's CA certificates (CA_BUNDLE_FILES,
 * CA_DIRS) unless the user did.
 */
export function renderDiracosrc(environment: Record<string, string> = {}, manifestFile?: string): string {
  // validate refuses both first; this guards callers that skip it (the key path once, the file as location)
  const refuse = (message: string) => new DiracosError(`bundle.environment: ${message}`, manifestFile ? { file: manifestFile } : undefined);
  const lines = Object.entries(environment)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => {
      if (!ENV_NAME.test(k)) throw refuse(`'${k}' is not a valid environment variable name`);
      if (RESERVED_ENVIRONMENT.includes(k)) throw refuse(`'${k}' is set by diracosrc itself`);
      return `export ${k}=${shellValue(v)}`;
    });
  return `# DIRACOS environment: source this file (". /path/to/diracos/diracosrc") from bash or zsh,
# or from any sh with DIRACOS set to the bundle's folder (a DIRACOS already set is kept).
if [ -z "\${DIRACOS:-}" ]; then
  if [ -n "\${BASH_SOURCE:-}" ]; then
    eval '_diracos_self="\${BASH_SOURCE[0]}"'
  elif [ -n "\${ZSH_VERSION:-}" ]; then
    eval '_diracos_self="\${(%):-%x}"'
  else
    echo "diracosrc: source me from bash or zsh, or set DIRACOS to the bundle's folder first" >&2
    return 1 2>/dev/null || exit 1
  fi
  DIRACOS="$(cd -- "$(dirname -- "$_diracos_self")" && pwd -P)" || return 1
  unset _diracos_self
fi
export DIRACOS
export PATH="$DIRACOS/usr/bin:$DIRACOS/bin:$DIRACOS/usr/sbin:$DIRACOS/sbin\${PATH:+:$PATH}"
unset LD_LIBRARY_PATH
unset LESSOPEN
${caLines().join('\n')}
${lines.join('\n')}
`;
}
