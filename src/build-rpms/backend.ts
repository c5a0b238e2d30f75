/**
 * What the engine asks of a build backend (container: backend-container.ts, mock: backend-mock.ts),
 * and what both backends do alike: what the base repositories hide, the logged container runs, the
 * failures with the log's tail, the RPMs a build left.
 */
import { createWriteStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ResolvedPackage } from '../manifest/resolve.js';
import type { PlatformSpec } from '../manifest/types.js';
import type { PackageManager } from '../platform/release-rules.js';
import type { RepoLayout } from '../repo/layout.js';
import { rpmNameOfFile } from '../repo/rpm-names.js';
import type { RunSpec } from '../runtime/types.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';
import { HIDES_PROVIDED_NAMES } from './platform-rules.js';
import type { PackageTree } from './tree.js';

/** One package to build: its tree, what to install first, where its log goes. */
export interface BuildJob {
  pkg: ResolvedPackage;
  tree: PackageTree;
  /** BuildRequires to install with dnf before rpmbuild (ours, or all of them on RPM platforms). */
  install: string[];
  log: string;
}

/** The RPMs a build produced (absolute paths in the build tree). */
export interface BuildOutput {
  binary: string[];
  source: string[];
}

/** One manifest postStep of a package, run after its RPMs entered the repository. */
export interface PostStepJob {
  pkg: ResolvedPackage;
  /** Position in the package's postSteps (from 0), for messages. */
  index: number;
  step: string;
  /** Appended to (the package's build log). */
  log: string;
}

export interface Backend {
  readonly name: string;
  build(ctx: Context, job: BuildJob): Promise<BuildOutput>;
  /** Runs one post step on the build platform; a failure is a DiracosError naming the package and the step. */
  postStep(ctx: Context, job: PostStepJob): Promise<void>;
}

/** Options common to both backends. */
export interface BackendOptions {
  image: string;
  platform: PlatformSpec;
  repo: RepoLayout;
  /** SOURCE_DATE_EPOCH of the builds (see REPRODUCIBLE_MACROS). */
  sourceDateEpoch: number;
}

/**
 * The RPM names our repository holds now (its binary and buildOnly parts): what may be hidden in the
 * base repositories. A name we rebuild but do not hold yet stays visible there, so whatever needs it
 * before ours exists (a build root's own zlib, xz, bzip2 or rpm) can still be installed.
 */
export async function heldRpmNames(repo: RepoLayout): Promise<string[]> {
  const names = new Set<string>();
  for (const dir of [repo.binary, repo.buildOnly]) {
    for (const f of await readdir(dir).catch(() => [] as string[])) if (f.endsWith('.rpm') && !f.endsWith('.src.rpm')) names.add(rpmNameOfFile(f));
  }
  return [...names].sort();
}

/** Package name -> the capabilities it provides, from a repository folder's primary metadata (createrepo_c, gz). */
export async function repoProvides(dir: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const repomd = await readFile(join(dir, 'repodata/repomd.xml'), 'utf8').catch(() => '');
  const href = /<data type="primary">[\s\S]*?<location href="([^"]+)"/.exec(repomd)?.[1];
  if (!href) return out;
  const raw = await readFile(join(dir, href));
  const xml = (href.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const unescape = (t: string) => t.replace(/&(lt|gt|quot|apos|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
  for (const block of xml.split('<package type="rpm">').slice(1)) {
    const name = /<name>([^<]*)<\/name>/.exec(block)?.[1];
    if (!name) continue;
    const provides = /<rpm:provides>([\s\S]*?)<\/rpm:provides>/.exec(block)?.[1] ?? '';
    const caps = [...provides.matchAll(/<rpm:entry name="([^"]*)"/g)].map((m) => unescape(m[1]!));
    out.set(unescape(name), [...new Set([...(out.get(unescape(name)) ?? []), ...caps])]);
  }
  return out;
}

/** A capability that is also a possible package name (not `libz.so.1()(64bit)`, `python(abi)`, `/usr/bin/x`). */
const PACKAGE_NAME = /^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/;

/**
 * What the base repositories hide for one build: the names our repository holds (of `only`, when
 * given) and, where the package manager needs it (HIDES_PROVIDED_NAMES: yum), the package names that
 * those packages provide as capabilities, so that e.g. BuildRequires: python3-devel takes our CPython.
 */
export async function hiddenInBase(repo: RepoLayout, pm: PackageManager, only?: ReadonlySet<string>): Promise<string[]> {
  const held = (await heldRpmNames(repo)).filter((n) => !only || only.has(n));
  const hidden = new Set(held);
  if (HIDES_PROVIDED_NAMES[pm]) {
    const provides = new Map([...(await repoProvides(repo.binary)), ...(await repoProvides(repo.buildOnly))]);
    for (const name of held) for (const cap of provides.get(name) ?? []) if (PACKAGE_NAME.test(cap)) hidden.add(cap);
  }
  return [...hidden].sort();
}

/** rpm `--define 'name value'` pairs. */
export function defineArgs(defines: Readonly<Record<string, string>>): string[] {
  return Object.entries(defines).flatMap(([k, v]) => ['--define', `${k} ${v}`]);
}

/** Runs a container with its output in `logFile` (after `header`); resolves with the exit code. */
export async function runLogged(ctx: Context, logFile: string, flags: 'w' | 'a', header: string, spec: RunSpec): Promise<number> {
  const log = createWriteStream(logFile, { flags });
  log.write(header);
  try {
    const result = await ctx.runtime.run({ ...spec, capture: false, allowFailure: true, onOutput: (chunk) => log.write(chunk) });
    return result.exitCode;
  } finally {
    await new Promise((resolve) => log.end(resolve));
  }
}

const LOG_TAIL_LINES = 40;

async function showTail(ctx: Context, title: string, logFile: string): Promise<void> {
  const tail = (await readFile(logFile, 'utf8')).trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
  await ctx.reporter.group(`${title} (last ${LOG_TAIL_LINES} lines of ${logFile})`, async () => ctx.reporter.info(tail));
}

export async function failBuild(ctx: Context, job: Pick<BuildJob, 'pkg' | 'log'>, exitCode: number, what = 'the build'): Promise<never> {
  await showTail(ctx, `build of ${job.pkg.name} failed`, job.log);
  throw new DiracosError(`package '${job.pkg.name}': ${what} failed (exit ${exitCode}); log: ${job.log}`, { file: job.log });
}

export async function failPostStep(ctx: Context, job: PostStepJob, exitCode: number): Promise<never> {
  await showTail(ctx, `post step ${job.index + 1} of ${job.pkg.name} failed`, job.log);
  throw new DiracosError(`package '${job.pkg.name}': post step ${job.index + 1} failed (exit ${exitCode}): ${job.step}; log: ${job.log}`, { file: job.log });
}

export async function rpmsUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.rpm'))
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
}
