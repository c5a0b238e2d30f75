/** The checks run in a fresh container of one platform, and the reading of their raw results. */
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { shQuote } from '../shared/shell.js';
import type { LoadedManifest } from '../manifest/load.js';
import type { PlatformSpec } from '../manifest/types.js';
import { isHostProvided, type IgnoredLibrary } from '../rules/host-libraries.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';
import { CONTAINER_DIR, CONTAINER_IN, CONTAINER_OUT, CONTAINER_SCRIPT, SETUP_EXITS } from './container-script.js';
import { parseLdd, type LddResult } from './ldd.js';
import { testCertificates, TLS_CHECK_PY, TRUST_STORES, TRUST_TOOL_MISSING, trustStoreScript } from './tls.js';
import { countItem, newCheck, type CheckResult } from './types.js';

export interface ContainerInputs {
  /** A tarball the container unpacks with plain `tar -xf`. */
  tarball: string;
  /** Top folder of the tarball (diracos-<version>). */
  top: string;
  /** ELF files to ldd, as paths inside the bundle. */
  elves: string[];
  /** Libraries the bundle leaves to the host (its hostLibraries.txt): each platform must have them. */
  leftToHost?: readonly IgnoredLibrary[];
}

/** One file's ldd as the stage saw it, with the bundle's location replaced by $DIRACOS (written to ldd.json). */
export interface LddRecord {
  file: string;
  exitCode: number;
  libs: Array<{ name: string; path: string | null }>;
}

/** The last lines of an output, for a failure message. */
function tail(text: string, lines = 5): string {
  const t = text.trim().split('\n').slice(-lines).join('\n');
  return t ? `:\n${t}` : '';
}

function read(dir: string, name: string): string {
  const p = join(dir, name);
  return existsSync(p) ? readFileSync(p, 'utf8') : '';
}

function exitCode(dir: string, name: string): number | undefined {
  const text = read(dir, `${name}.rc`).trim();
  return text ? Number(text) : undefined;
}

/** The input folder the container reads. */
async function writeInputs(dir: string, m: LoadedManifest, platform: PlatformSpec, inputs: ContainerInputs): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tests = m.manifest.tests ?? {};
  await writeFile(join(dir, 'run.sh'), CONTAINER_SCRIPT);
  await writeFile(join(dir, 'elves'), inputs.elves.map((e) => `${e}\0`).join(''));
  await writeFile(join(dir, 'modules'), (tests.modules ?? []).map((mod) => `${mod}\n`).join(''));
  for (const [i, cmd] of (tests.commands ?? []).entries()) await writeFile(join(dir, `cmd.${i}`), cmd);
  if (tests.script) {
    const script = join(m.dir, tests.script);
    if (!existsSync(script)) throw new DiracosError(`tests.script '${tests.script}' does not exist (${script})`, { file: m.file });
    await copyFile(script, join(dir, 'script'));
  }
  // Values are literal: no expansion, whatever they contain.
  const env = Object.entries(platform.env ?? {}).map(([k, v]) => `export ${k}=${shQuote(v)}\n`);
  await writeFile(join(dir, 'env.sh'), env.join(''));
  // A fresh CA per run: only this container's trust store ever has it.
  const certs = testCertificates();
  await mkdir(join(dir, 'tls'), { recursive: true });
  await writeFile(join(dir, 'tls/ca.pem'), certs.ca);
  await writeFile(join(dir, 'tls/server.pem'), certs.server);
  await writeFile(join(dir, 'tls/server.key'), certs.serverKey);
  await writeFile(join(dir, 'tls/trust.sh'), trustStoreScript(platform.family));
  await writeFile(join(dir, 'tls/check.py'), TLS_CHECK_PY);
}

/**
 * Runs the container checks of one platform in `image` (already prepared). `scratch` receives the
 * input and output folders. Returns the check rows and the ldd records.
 */
export async function runPlatformChecks(
  ctx: Context,
  m: LoadedManifest,
  platform: PlatformSpec,
  image: string,
  inputs: ContainerInputs,
  scratch: string,
): Promise<{ checks: CheckResult[]; ldd: LddRecord[] }> {
  const inDir = join(scratch, 'in');
  const outDir = join(scratch, 'out');
  await writeInputs(inDir, m, platform, inputs);
  await mkdir(outDir, { recursive: true });
  const tarballTarget = `${CONTAINER_DIR}/${basename(inputs.tarball)}`;
  const run = await ctx.runtime.run({
    image,
    command: ['bash', `${CONTAINER_IN}/run.sh`, tarballTarget, inputs.top],
    mounts: [
      { source: inputs.tarball, target: tarballTarget, readOnly: true },
      { source: inDir, target: CONTAINER_IN, readOnly: true },
      { source: outDir, target: CONTAINER_OUT },
    ],
    allowFailure: true,
  });
  if (run.exitCode !== 0) {
    const environment = newCheck('environment');
    const what = SETUP_EXITS[run.exitCode] ?? `the test container exited with ${run.exitCode}`;
    const log = read(outDir, run.exitCode === 91 ? 'extract.log' : 'diracosrc.log') + run.stderr;
    environment.failures.push({ item: platform.name, message: `${what}${tail(log)}` });
    return { checks: [environment], ldd: [] };
  }
  const roots = [read(outDir, 'root'), read(outDir, 'root.physical')].filter(Boolean);
  const inBundle = (p: string) => roots.some((r) => p === r || p.startsWith(`${r}/`));
  const relative = (p: string) => roots.reduce((acc, r) => (acc.startsWith(`${r}/`) ? `$DIRACOS/${acc.slice(r.length + 1)}` : acc), p);

  const leftToHost = inputs.leftToHost ?? [];
  const { check: lddCheck, records, hostSeen } = lddChecks(outDir, platform, inputs.elves, inBundle, relative, leftToHost);
  const checks = [lddCheck, ...(leftToHost.length > 0 ? [hostProvidedCheck(platform, leftToHost, hostSeen)] : []), moduleCheck(outDir, m, platform, inBundle)];
  return { checks: [...checks, ...commandChecks(outDir, m), tlsCheck(outDir, platform, inBundle)], ldd: records };
}

/**
 * tls: the bundle's python3 verified a server on 127.0.0.1 whose CA is only in the platform's trust
 * store. Skipped, with a warning, when the image has no trust-store tool (no ca-certificates: such a
 * host verifies nothing); a CA that could not be added is a failure of the check.
 */
function tlsCheck(outDir: string, platform: PlatformSpec, inBundle: (p: string) => boolean): CheckResult {
  const check = newCheck('tls');
  const item = 'https://127.0.0.1 (CA in the trust store only)';
  const trust = exitCode(outDir, 'trust');
  const python = bundlePythonProblem(outDir, inBundle);
  if (trust === TRUST_TOOL_MISSING) {
    check.warnings.push(`TLS not checked: ${read(outDir, 'trust').trim()}; add it to platforms[${platform.name}].setup to check TLS here`);
  } else if (trust !== 0) {
    check.failures.push({ item, message: `adding a CA to the trust store (${TRUST_STORES[platform.family].tool}) failed (exit ${trust ?? 'no status'})${tail(read(outDir, 'trust'))}` });
  } else if (python) {
    check.failures.push({ item, message: python });
  } else if (exitCode(outDir, 'tls') !== 0) {
    check.failures.push({ item, message: `the bundle's python3 cannot verify it with the platform's CA certificates${tail(read(outDir, 'tls'), 3)}` });
  } else {
    check.passed++;
  }
  return check;
}

/** How ldd resolved each library the bundle leaves to the host: where, or not at all, and for which files. */
type HostSeen = Map<string, { paths: Set<string>; notFound: string[] }>;

/**
 * ldd of every ELF: a library that resolves outside the bundle must be host-provided for the
 * family; one that is not (or is "not found") must be in knownMissing. Compared both ways: a
 * knownMissing entry no file misses any more is a warning. A library the bundle leaves to the host
 * (`leftToHost`) is not judged here: hostProvidedCheck reports it, from what ldd said about it.
 */
function lddChecks(
  outDir: string,
  platform: PlatformSpec,
  elves: readonly string[],
  inBundle: (p: string) => boolean,
  relative: (p: string) => string,
  leftToHost: readonly IgnoredLibrary[],
): { check: CheckResult; records: LddRecord[]; hostSeen: HostSeen } {
  const check = newCheck('ldd');
  const known = new Set(platform.knownMissing ?? []);
  const seenMissing = new Set<string>();
  const records: LddRecord[] = [];
  const hostSeen: HostSeen = new Map(leftToHost.map((l) => [l.soname, { paths: new Set<string>(), notFound: [] as string[] }]));
  for (const [i, file] of elves.entries()) {
    const before = check.failures.length;
    const text = read(outDir, `ldd.${i}`);
    const rc = exitCode(outDir, `ldd.${i}`) ?? -1;
    const parsed: LddResult = parseLdd(text);
    records.push({ file, exitCode: rc, libs: parsed.entries.map((e) => ({ name: e.name, path: e.path ? relative(e.path) : null })) });
    for (const e of parsed.entries) {
      const soname = e.name.includes('/') ? basename(e.name) : e.name;
      const host = hostSeen.get(soname);
      if (host && !(e.path && inBundle(e.path))) {
        if (e.notFound) {
          host.notFound.push(file);
          seenMissing.add(soname);
        } else if (e.path) host.paths.add(e.path);
        continue;
      }
      let problem: string | undefined;
      if (e.notFound) problem = 'not found';
      else if (e.path && !inBundle(e.path) && !isHostProvided(platform.family, soname)) {
        problem = `resolves outside the bundle (${e.path}) and ${platform.family} hosts do not provide it`;
      }
      if (!problem) continue;
      seenMissing.add(soname);
      if (!known.has(soname)) check.failures.push({ item: file, message: `${soname} ${problem}` });
    }
    for (const v of parsed.versionErrors) check.failures.push({ item: file, message: `version ${v.version} not found (required by ${relative(v.requiredBy)})` });
    for (const p of parsed.preloadErrors) check.failures.push({ item: file, message: `cannot preload ${p}` });
    if (rc !== 0 && !parsed.static && check.failures.length === before) {
      check.failures.push({ item: file, message: `ldd exited with ${rc}${tail(parsed.other.join('\n'), 3)}` });
    }
    countItem(check, before);
  }
  for (const lib of known) {
    if (!seenMissing.has(lib)) check.warnings.push(`${lib} is in knownMissing of ${platform.name} but no file misses it any more`);
  }
  return { check, records, hostSeen };
}

/**
 * host-provided: every library the bundle leaves to the host (its ignored packages', hostLibraries.txt)
 * resolves from this platform, as ldd found it for the files needing it. Missing, it fails naming the
 * library, its package and the platform, unless it is in the platform's knownMissing.
 */
function hostProvidedCheck(platform: PlatformSpec, leftToHost: readonly IgnoredLibrary[], seen: HostSeen): CheckResult {
  const check = newCheck('host-provided');
  const known = new Set(platform.knownMissing ?? []);
  for (const lib of leftToHost) {
    const s = seen.get(lib.soname);
    const what = `left to the host (bundle.ignoredPackages: ${lib.package})`;
    if (s && s.notFound.length > 0) {
      if (known.has(lib.soname)) continue;
      const files = s.notFound.slice(0, 3).join(', ') + (s.notFound.length > 3 ? `, and ${s.notFound.length - 3} more` : '');
      check.failures.push({ item: lib.soname, message: `${what}, but ${platform.name} does not provide it (ldd: not found, for ${files})` });
    } else if (s && s.paths.size > 0) {
      check.passed++;
    } else if (!known.has(lib.soname)) {
      check.failures.push({ item: lib.soname, message: `${what}: no ldd on ${platform.name} shows where it comes from (see the ldd check)` });
    }
  }
  return check;
}

/** Why python3 on PATH after sourcing diracosrc is not the bundle's, or undefined when it is. */
function bundlePythonProblem(outDir: string, inBundle: (p: string) => boolean): string | undefined {
  const python = read(outDir, 'python');
  return !python ? 'no python3 on PATH after sourcing diracosrc' : !inBundle(python) ? `python3 on PATH is ${python}, not the bundle's` : undefined;
}

/**
 * Each tests.modules entry imports with the bundle's python3, from a file inside the bundle. A module
 * in the platform's modulesAllowedToFail (v1's graphic modules) that does not import is a warning; one
 * that imports is reported, so the allowance does not outlive its reason.
 */
function moduleCheck(outDir: string, m: LoadedManifest, platform: PlatformSpec, inBundle: (p: string) => boolean): CheckResult {
  const check = newCheck('modules');
  const modules = m.manifest.tests?.modules ?? [];
  if (modules.length === 0) return check;
  const allowed = new Set(platform.modulesAllowedToFail ?? []);
  const pythonProblem = bundlePythonProblem(outDir, inBundle);
  for (const [i, mod] of modules.entries()) {
    const before = check.failures.length;
    const rc = exitCode(outDir, `module.${i}`);
    const file = read(outDir, `module.${i}.file`);
    if (pythonProblem) check.failures.push({ item: mod, message: pythonProblem });
    else if (rc !== 0 && allowed.has(mod)) {
      check.warnings.push(`${mod}: import failed (exit ${rc}), allowed on ${platform.name} (modulesAllowedToFail)${tail(read(outDir, `module.${i}`), 2)}`);
      continue;
    } else if (rc !== 0) check.failures.push({ item: mod, message: `import failed (exit ${rc})${tail(read(outDir, `module.${i}`))}` });
    else if (file && !inBundle(file)) check.failures.push({ item: mod, message: `imported from ${file}, outside the bundle` });
    else if (allowed.has(mod)) check.warnings.push(`${mod} is in modulesAllowedToFail of ${platform.name} but imports there: remove it from the list`);
    countItem(check, before);
  }
  return check;
}

/** tests.commands (one row) and tests.script (another), each must exit 0. */
function commandChecks(outDir: string, m: LoadedManifest): CheckResult[] {
  const tests = m.manifest.tests ?? {};
  const commands = newCheck('commands');
  for (const [i, cmd] of (tests.commands ?? []).entries()) {
    const before = commands.failures.length;
    const rc = exitCode(outDir, `cmd.${i}`);
    if (rc !== 0) commands.failures.push({ item: cmd, message: `exited with ${rc ?? 'no status'}${tail(read(outDir, `cmd.${i}`))}` });
    countItem(commands, before);
  }
  if (!tests.script) return [commands];
  const script = newCheck('script');
  const rc = exitCode(outDir, 'script');
  if (rc !== 0) script.failures.push({ item: tests.script, message: `exited with ${rc ?? 'no status'}${tail(read(outDir, 'script'))}` });
  else script.passed++;
  return [commands, script];
}
