/**
 * The test-platforms stage: static checks on the extracted tarball (host), then per platform the
 * container checks (ldd, module imports, test commands and script) in a fresh container.
 *
 * Result rows: the pseudo-platform `static` (always required) holds the platform-independent checks
 * (symlinks, hardlinks, shebangs, elf, modes, names, broken-links); each platform holds its static
 * per-platform checks (glibc-ceiling, host-libraries) before its container checks (ldd, host-provided,
 * modules, commands, script, tls), so an allowed-to-fail platform never fails the stage, not even
 * through its ceiling.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { LoadedManifest } from '../manifest/load.js';
import { selectPlatforms } from '../manifest/select-platforms.js';
import type { PlatformSpec } from '../manifest/types.js';
import { imageSetupCommands } from '../platform/image-setup.js';
import { knownCeiling, type Ceiling } from '../rules/glibc-ceilings.js';
import { HOST_LIBRARIES_FILE, parseHostLibrariesFile, type IgnoredLibrary } from '../rules/host-libraries.js';
import type { SummaryTable } from '../reporting/reporter.js';
import { topDirectory } from '../shared/bundle-names.js';
import type { Context } from '../shared/context.js';
import { DiracosError, DiracosErrors } from '../shared/errors.js';
import { sha256File } from '../shared/hash.js';
import { junitXml } from './junit.js';
import { runPlatformChecks, type LddRecord } from './platform-checks.js';
import { checkBrokenLinks, checkCeiling, checkHostLibraries, scanBundle } from './static-checks.js';
import { containerTarball, extractBundle, scratchDir } from './unpack.js';
import { platformKey, readRecord, staticKey, writeRecord, type TestRecord } from './records.js';
import { failedItems, newCheck, platformOk, type PlatformResult } from './types.js';

export interface TestPlatformsOptions {
  tarball: string;
  /** Names of the manifest platforms to test (default: all). */
  platforms?: string[];
  outDir: string;
  /**
   * Test every platform even when the tarball, the platform (image, setup, ...) and the tests are those
   * of a passing run recorded in outDir (default: such platforms are skipped, and the summary says so).
   */
  force?: boolean;
}

export interface TestPlatformsResult {
  ok: boolean;
  /** Path of the JUnit XML file written into outDir. */
  junit: string;
  platforms: Array<{
    name: string;
    required: boolean;
    ok: boolean;
    /** Not tested now: the result of an earlier passing run with the same inputs. */
    skipped: boolean;
    checks: Array<{ check: string; passed: number; failed: number; failures: string[] }>;
  }>;
}

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

/** The platforms to test (selectPlatforms), none of them named like the static checks. */
function testedPlatforms(m: LoadedManifest, names?: string[]): PlatformSpec[] {
  const clash = m.manifest.platforms.findIndex((p) => p.name === STATIC_PLATFORM);
  if (clash >= 0) throw new DiracosError(`platforms[${clash}]: the name '${STATIC_PLATFORM}' is reserved for the static checks`, { file: m.file });
  return selectPlatforms(m, names, 'test-platforms');
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.partial`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/** A platform about to be tested: its prepared image (or why there is none), its key, its record when that stands. */
interface Planned {
  platform: PlatformSpec;
  image?: string;
  prepareError?: DiracosError;
  key?: string;
  /** A passing run with the same key: not tested again. */
  recorded?: TestRecord;
}

export async function testPlatforms(ctx: Context, m: LoadedManifest, opts: TestPlatformsOptions): Promise<TestPlatformsResult> {
  const tarball = resolve(opts.tarball);
  const platforms = testedPlatforms(m, opts.platforms);
  const limits = ceilings(m, platforms);
  const top = topDirectory({ version: m.manifest.version, arch: m.arch });
  const tarballSha256 = await sha256File(tarball);
  const unchanged = async (name: string, key: string | undefined): Promise<TestRecord | undefined> => {
    if (opts.force || !key) return undefined;
    const r = await readRecord(opts.outDir, name);
    return r?.key === key && platformOk(r.result) ? r : undefined;
  };

  const planned: Planned[] = [];
  for (const platform of platforms) {
    let image: string;
    try {
      // Before its own setup, an RPM platform's stock repositories are replaced by its baseRepos
      // (centos:6/7's point at the retired mirror list), so that setup can install packages.
      const own = platform.setup ?? [];
      const setup = own.length > 0 ? [...imageSetupCommands(platform, []), ...own] : [];
      image = await ctx.reporter.progress({ what: `preparing the image of ${platform.name}` }, () =>
        ctx.runtime.prepareImage(platform.image, setup, { onOutput: (c) => ctx.reporter.debug(c.toString()) }),
      );
    } catch (e) {
      if (!(e instanceof DiracosError)) throw e;
      planned.push({ platform, prepareError: e });
      continue;
    }
    const key = await platformKey(ctx, m, { tarballSha256, top, platform, ceiling: limits.get(platform.name) as Ceiling, image });
    planned.push({ platform, image, key, recorded: await unchanged(platform.name, key) });
  }
  const sKey = staticKey(tarballSha256, top, m.manifest.tests?.knownBrokenLinks ?? []);
  const staticRecord = planned.every((p) => p.recorded) ? await unchanged(STATIC_PLATFORM, sKey) : undefined;

  const results: PlatformResult[] = [];
  const skipped = new Map<string, string>();
  const lddRecords = new Map<string, LddRecord[]>();
  const fresh = new Map<string, string>();
  if (staticRecord) {
    // Nothing to test: the tarball is not even extracted.
    results.push(staticRecord.result, ...planned.map((p) => p.recorded!.result));
    for (const r of [staticRecord, ...planned.map((p) => p.recorded!)]) skipped.set(r.result.name, r.testedAt);
  } else {
    const scratch = await scratchDir(ctx, 'run');
    try {
      const { root } = await extractBundle(ctx, tarball, top, await mkdirP(join(scratch, 'bundle')));
      const scan = await ctx.reporter.group('static checks', async () => scanBundle(root));
      const brokenLinks = checkBrokenLinks(root, m.manifest.tests?.knownBrokenLinks ?? []);
      results.push({ name: STATIC_PLATFORM, required: true, checks: [...scan.checks, brokenLinks] });
      const leftToHost = readLeftToHost(root);
      fresh.set(STATIC_PLATFORM, sKey);
      const containerInput = planned.some((p) => !p.recorded) ? await containerTarball(ctx, tarball, scratch) : tarball;

      for (const { platform, image, prepareError, key, recorded } of planned) {
        if (recorded) {
          results.push(recorded.result);
          skipped.set(platform.name, recorded.testedAt);
          continue;
        }
        const result: PlatformResult = {
          name: platform.name,
          required: platform.required ?? true,
          checks: [checkCeiling(scan.elves, platform, limits.get(platform.name) as Ceiling), checkHostLibraries(scan.elves, platform, leftToHost)],
        };
        results.push(result);
        if (prepareError || !image) {
          const prepare = newCheck('prepare');
          prepare.failures.push({ item: platform.name, message: prepareError?.message ?? 'no image' });
          result.checks.push(prepare);
          continue;
        }
        await ctx.reporter.group(`test-platforms: ${platform.name}`, () =>
          ctx.reporter.progress({ what: `testing on ${platform.name}` }, async () => {
            const run = await runPlatformChecks(ctx, m, platform, image, { tarball: containerInput, top, elves: scan.elves.map((e) => e.path), leftToHost }, await mkdirP(join(scratch, platform.name)));
            result.checks.push(...run.checks);
            lddRecords.set(platform.name, run.ldd);
          }),
        );
        if (key) fresh.set(platform.name, key);
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  const out = await report(ctx, opts.outDir, results, lddRecords, skipped);
  const testedAt = new Date().toISOString();
  for (const r of results) {
    const key = fresh.get(r.name);
    if (key) await writeRecord(opts.outDir, r.name, { key, testedAt, result: r });
  }
  return out;
}

/** The libraries the bundle leaves to the host (its hostLibraries.txt; none in a tarball without one). */
function readLeftToHost(root: string): IgnoredLibrary[] {
  const file = join(root, HOST_LIBRARIES_FILE);
  return existsSync(file) ? parseHostLibrariesFile(readFileSync(file, 'utf8')) : [];
}

async function mkdirP(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Failures listed below the summary table per check (all of them are in the messages and the JUnit report). */
const NOTED_FAILURES = 5;

/** `2025-12-01 22:50 UTC` of an ISO time. */
function shortTime(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The summary table: one short cell per check ("2 failed, 107 ok"), the failures listed below it, and
 * for each platform whether it ran now or was skipped as unchanged since a passing run.
 */
export function summaryTable(results: readonly PlatformResult[], skipped: ReadonlyMap<string, string>, junit: string): SummaryTable {
  const checkNames = [...new Set(results.flatMap((p) => p.checks.map((c) => c.check)))];
  const notes: string[] = [];
  for (const p of results) {
    for (const c of p.checks) {
      if (c.failures.length === 0) continue;
      for (const f of c.failures.slice(0, NOTED_FAILURES)) notes.push(`${p.name} ${c.check}: ${f.item}: ${f.message.split('\n')[0]}`);
      if (c.failures.length > NOTED_FAILURES) notes.push(`${p.name} ${c.check}: … and ${c.failures.length - NOTED_FAILURES} more (all in ${junit})`);
    }
  }
  if (skipped.size > 0) {
    notes.push(
      `skipped: ${[...skipped.keys()].join(', ')}: the tarball, the platform (image, setup, env) and the tests are those of a passing run ` +
        'recorded beside the report; force tests them again (--force on the command line, input force: true in the action)',
    );
  }
  return {
    title: 'test-platforms',
    header: ['platform', 'required', 'result', 'run', ...checkNames],
    rows: results.map((p) => [
      p.name,
      p.required ? 'yes' : 'no',
      platformOk(p) ? 'ok' : p.required ? 'FAILED' : 'failed (allowed)',
      skipped.has(p.name) ? `skipped, passed ${shortTime(skipped.get(p.name)!)}` : 'tested',
      ...checkNames.map((name) => {
        const c = p.checks.find((x) => x.check === name);
        if (!c) return '';
        return c.failures.length === 0 ? `${c.passed} ok` : `${failedItems(c)} failed, ${c.passed} ok`;
      }),
    ]),
    notes,
  };
}

/** Reporter messages, summary table, junit.xml and <platform>/ldd.json in outDir; the stage's result. */
async function report(ctx: Context, outDir: string, results: PlatformResult[], ldd: Map<string, LddRecord[]>, skipped: ReadonlyMap<string, string>): Promise<TestPlatformsResult> {
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
  const junit = join(outDir, 'junit.xml');
  ctx.reporter.table(summaryTable(results, skipped, junit));

  await mkdir(outDir, { recursive: true });
  for (const [name, records] of ldd) {
    await mkdir(join(outDir, name), { recursive: true });
    await writeAtomic(join(outDir, name, 'ldd.json'), JSON.stringify(records, null, 2) + '\n');
  }
  await writeAtomic(junit, junitXml(results));

  const ok = results.every((p) => !p.required || platformOk(p));
  return {
    ok,
    junit,
    platforms: results.map((p) => ({
      name: p.name,
      required: p.required,
      ok: platformOk(p),
      skipped: skipped.has(p.name),
      checks: p.checks.map((c) => ({ check: c.check, passed: c.passed, failed: failedItems(c), failures: c.failures.map((f) => `${f.item}: ${f.message}`) })),
    })),
  };
}
