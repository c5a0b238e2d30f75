/**
 * The test-platforms stage: static checks on the extracted tarball (host), then per platform the
 * container checks (ldd, module imports, test commands and script) in a fresh container.
 *
 * Result rows: the pseudo-platform `static` (always required) holds the platform-independent checks
 * (symlinks, hardlinks, shebangs, elf); each platform holds its static per-platform checks
 * (glibc-ceiling, host-libraries) before its container checks (ldd, modules, commands, script, tls), so
 * an allowed-to-fail platform never fails the stage, not even through its ceiling.
 */
import { imageSetupCommands } from '../build-rpms/dnf.js';
import { topDirectory } from '../bundle-diracos/tarball.js';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { LoadedManifest } from '../manifest/load.js';
import type { PlatformSpec } from '../manifest/types.js';
import { knownCeiling, type Ceiling } from '../rules/glibc-ceilings.js';
import type { Context } from '../shared/context.js';
import { DiracosError, DiracosErrors } from '../shared/errors.js';
import { junitXml } from './junit.js';
import { runPlatformChecks, type LddRecord } from './platform-checks.js';
import { checkCeiling, checkHostLibraries, scanBundle } from './static-checks.js';
import { containerTarball, extractBundle, scratchDir } from './tarball.js';
import { failedItems, newCheck, platformOk, type PlatformResult } from './types.js';

export interface TestPlatformsOptions {
  tarball: string;
  /** Names of the manifest platforms to test (default: all). */
  platforms?: string[];
  outDir: string;
}

export interface TestPlatformsResult {
  ok: boolean;
  /** Path of the JUnit XML file written into outDir. */
  junit: string;
  platforms: Array<{
    name: string;
    required: boolean;
    ok: boolean;
    checks: Array<{ check: string; passed: number; failed: number; failures: string[] }>;
  }>;
}

/** Failures shown per cell of the summary table. */
const SUMMARY_FAILURES = 2;

/** The ceiling of each platform: its manifest `glibc` over the rules table; none at all is a manifest error. */
function ceilings(m: LoadedManifest, platforms: readonly PlatformSpec[]): Map<string, Ceiling> {
  const out = new Map<string, Ceiling>();
  const problems: Array<{ message: string; location: { file: string } }> = [];
  for (const p of platforms) {
    const known = knownCeiling(p.name);
    const glibc = p.glibc ?? known?.glibc;
    if (glibc) out.set(p.name, { ...known, glibc });
    else {
      const index = m.manifest.platforms.indexOf(p);
      problems.push({ message: `platforms[${index}] '${p.name}': no glibc ceiling known for this name; set platforms[${index}].glibc`, location: { file: m.file } });
    }
  }
  if (problems.length) throw new DiracosErrors(problems);
  return out;
}

/** The pseudo-platform holding the platform-independent checks; no manifest platform may take its name. */
export const STATIC_PLATFORM = 'static';

function selectPlatforms(m: LoadedManifest, names?: string[]): PlatformSpec[] {
  const clash = m.manifest.platforms.findIndex((p) => p.name === STATIC_PLATFORM);
  if (clash >= 0) throw new DiracosError(`platforms[${clash}]: the name '${STATIC_PLATFORM}' is reserved for the static checks`, { file: m.file });
  if (!names) return m.manifest.platforms;
  return names.map((name) => {
    const p = m.manifest.platforms.find((q) => q.name === name);
    if (!p) throw new DiracosError(`platform '${name}' is not in the manifest (known: ${m.manifest.platforms.map((q) => q.name).join(', ')})`, { file: m.file });
    return p;
  });
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.partial`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

export async function testPlatforms(ctx: Context, m: LoadedManifest, opts: TestPlatformsOptions): Promise<TestPlatformsResult> {
  const tarball = resolve(opts.tarball);
  const platforms = selectPlatforms(m, opts.platforms);
  const limits = ceilings(m, platforms);
  const scratch = await scratchDir(ctx, 'run');
  try {
    const { root, top } = await extractBundle(ctx, tarball, topDirectory({ version: m.manifest.version, arch: m.arch }), await mkdirP(join(scratch, 'bundle')));
    const scan = await ctx.reporter.group('static checks', async () => scanBundle(root));
    const results: PlatformResult[] = [{ name: STATIC_PLATFORM, required: true, checks: scan.checks }];
    const lddRecords = new Map<string, LddRecord[]>();
    const containerInput = await containerTarball(ctx, tarball, scratch);

    for (const platform of platforms) {
      const result: PlatformResult = {
        name: platform.name,
        required: platform.required ?? true,
        checks: [checkCeiling(scan.elves, platform, limits.get(platform.name) as Ceiling), checkHostLibraries(scan.elves, platform)],
      };
      results.push(result);
      await ctx.reporter.group(`test-platforms: ${platform.name}`, async () => {
        let image: string;
        try {
          // Before its own setup, an RPM platform's stock repositories are replaced by its baseRepos
          // (centos:6/7's point at the retired mirror list), so that setup can install packages.
          const own = platform.setup ?? [];
          const setup = own.length > 0 ? [...imageSetupCommands(platform, []), ...own] : [];
          image = await ctx.runtime.prepareImage(platform.image, setup, { onOutput: (c) => ctx.reporter.debug(c.toString()) });
        } catch (e) {
          if (!(e instanceof DiracosError)) throw e;
          const prepare = newCheck('prepare');
          prepare.failures.push({ item: platform.name, message: e.message });
          result.checks.push(prepare);
          return;
        }
        const run = await runPlatformChecks(ctx, m, platform, image, { tarball: containerInput, top, elves: scan.elves.map((e) => e.path) }, await mkdirP(join(scratch, platform.name)));
        result.checks.push(...run.checks);
        lddRecords.set(platform.name, run.ldd);
      });
    }
    return await report(ctx, opts.outDir, results, lddRecords);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function mkdirP(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Reporter messages, summary table, junit.xml and <platform>/ldd.json in outDir; the stage's result. */
async function report(ctx: Context, outDir: string, results: PlatformResult[], ldd: Map<string, LddRecord[]>): Promise<TestPlatformsResult> {
  for (const p of results) {
    for (const c of p.checks) {
      for (const w of c.warnings) ctx.reporter.warning(`${p.name} ${c.check}: ${w}`);
      for (const f of c.failures) {
        const text = `${p.name} ${c.check}: ${f.item}: ${f.message}`;
        if (p.required) ctx.reporter.error(text);
        else ctx.reporter.warning(`${text} (allowed to fail)`);
      }
    }
  }
  const checkNames = [...new Set(results.flatMap((p) => p.checks.map((c) => c.check)))];
  ctx.reporter.table({
    title: 'test-platforms',
    header: ['platform', 'required', 'result', ...checkNames],
    rows: results.map((p) => [
      p.name,
      p.required ? 'yes' : 'no',
      platformOk(p) ? 'ok' : p.required ? 'FAILED' : 'failed (allowed)',
      ...checkNames.map((name) => {
        const c = p.checks.find((x) => x.check === name);
        if (!c) return '';
        if (c.failures.length === 0) return `${c.passed} ok`;
        const first = c.failures.slice(0, SUMMARY_FAILURES).map((f) => `${f.item}: ${f.message.split('\n')[0]}`);
        return `${failedItems(c)} failed, ${c.passed} ok: ${first.join('; ')}${c.failures.length > SUMMARY_FAILURES ? '; …' : ''}`;
      }),
    ]),
  });

  await mkdir(outDir, { recursive: true });
  for (const [name, records] of ldd) {
    await mkdir(join(outDir, name), { recursive: true });
    await writeAtomic(join(outDir, name, 'ldd.json'), JSON.stringify(records, null, 2) + '\n');
  }
  const junit = join(outDir, 'junit.xml');
  await writeAtomic(junit, junitXml(results));

  const ok = results.every((p) => !p.required || platformOk(p));
  return {
    ok,
    junit,
    platforms: results.map((p) => ({
      name: p.name,
      required: p.required,
      ok: platformOk(p),
      checks: p.checks.map((c) => ({ check: c.check, passed: c.passed, failed: failedItems(c), failures: c.failures.map((f) => `${f.item}: ${f.message}`) })),
    })),
  };
}
