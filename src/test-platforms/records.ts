/**
 * What a platform's test depends on, and the record of its last run beside the outputs
 * (`<outDir>/<platform>/result.json`): a platform whose key is unchanged since a passing run is not
 * tested again unless asked (force). The key holds the tarball's sha256, the platform as the manifest
 * says it (image, setup, env, glibc ceiling, knownMissing, modulesAllowedToFail, required), the id of its prepared image, the
 * tests (modules, commands, the script's content), the rule tables the checks read and the script the
 * container runs; TEST_KEY_VERSION covers the rest of the checks' code.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadedManifest } from '../manifest/load.js';
import type { PlatformSpec } from '../manifest/types.js';
import type { Ceiling } from '../rules/glibc-ceilings.js';
import { HOST_LIBRARIES, KERNEL_PROVIDED } from '../rules/host-libraries.js';
import { ContainerRuntime } from '../runtime/container.js';
import type { Context } from '../shared/context.js';
import { sha256File, sha256Object } from '../shared/hash.js';
import { CONTAINER_SCRIPT } from './container-script.js';
import { SHEBANG_RULES } from './shebang-rules.js';
import type { PlatformResult } from './types.js';

/** Bump when a check changes in a way the hashed inputs (rule tables, container script) do not show. */
export const TEST_KEY_VERSION = 2;

export interface TestRecord {
  key: string;
  /** When the recorded run ended (ISO 8601). */
  testedAt: string;
  result: PlatformResult;
}

export function recordFile(outDir: string, platform: string): string {
  return join(outDir, platform, 'result.json');
}

export async function readRecord(outDir: string, platform: string): Promise<TestRecord | undefined> {
  try {
    const r = JSON.parse(await readFile(recordFile(outDir, platform), 'utf8')) as TestRecord;
    return typeof r.key === 'string' && r.result && Array.isArray(r.result.checks) ? r : undefined;
  } catch {
    return undefined;
  }
}

export async function writeRecord(outDir: string, platform: string, record: TestRecord): Promise<void> {
  const file = recordFile(outDir, platform);
  await mkdir(join(outDir, platform), { recursive: true });
  await writeFile(`${file}.partial`, JSON.stringify(record, null, 2) + '\n');
  await rename(`${file}.partial`, file);
}

/** The checks' own inputs: the rule tables they read and the script run in each container. */
function checksIdentity(): unknown {
  return {
    v: TEST_KEY_VERSION,
    hostLibraries: HOST_LIBRARIES,
    kernel: KERNEL_PROVIDED,
    shebangs: SHEBANG_RULES.map((r) => ({ pattern: String(r.pattern), verdict: r.verdict })),
    container: CONTAINER_SCRIPT,
  };
}

/** Key of the platform-independent checks: the tarball, the links known to be broken and the checks. */
export function staticKey(tarballSha256: string, top: string, knownBrokenLinks: readonly string[]): string {
  return sha256Object({ kind: 'static', tarball: tarballSha256, top, knownBrokenLinks, checks: checksIdentity() });
}

/** The manifest's tests with the script's content instead of its path. */
async function testsIdentity(m: LoadedManifest): Promise<unknown> {
  const tests = m.manifest.tests ?? {};
  const script = tests.script ? join(m.dir, tests.script) : undefined;
  return { modules: tests.modules ?? [], commands: tests.commands ?? [], script: script && existsSync(script) ? await sha256File(script) : undefined };
}

/**
 * Key of one platform's checks, or undefined when its image cannot be identified (the host runtime:
 * this machine is the platform, and it changes without telling): such a platform is always tested.
 */
export async function platformKey(
  ctx: Context,
  m: LoadedManifest,
  i: { tarballSha256: string; top: string; platform: PlatformSpec; ceiling: Ceiling; image: string },
): Promise<string | undefined> {
  if (!(ctx.runtime instanceof ContainerRuntime)) return undefined;
  const imageId = await ctx.runtime.imageId(i.image);
  if (!imageId) return undefined;
  return sha256Object({
    kind: 'platform',
    tarball: i.tarballSha256,
    top: i.top,
    runtime: ctx.runtime.name,
    imageId,
    platform: i.platform,
    ceiling: i.ceiling,
    tests: await testsIdentity(m),
    checks: checksIdentity(),
  });
}
