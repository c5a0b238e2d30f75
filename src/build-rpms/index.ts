import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { LoadedManifest } from '../manifest/load.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';
import { formatElapsed } from '../reporting/progress.js';
import { holding, lockOptions, lockWorkFolder, type Lock, type LockWait } from '../shared/lock.js';
import { lockRepository } from '../repo/lock.js';
import { Repository, type RepoFile } from '../repo/repository.js';
import { rpmNameOfFile } from '../repo/rpm-names.js';
import type { Backend } from './backend.js';
import { containerBackend } from './backend-container.js';
import { mockBackend } from './backend-mock.js';
import { planBuild, type BuildPlan, type PlanOptions, type PlatformBuild } from './plan.js';
import { FAMILY_RULES } from './platform-rules.js';
import { runInDependencyOrder } from './scheduler.js';
import { keepsRpm } from './select.js';
import { prebuiltOutput } from './tree.js';

export { addBootstrapEdges, assertAcyclic, buildGraph, dependencyClosure, dependencyLevels, findCycles, reverseCone, type BuildGraph } from './graph.js';
export { computeKeys, keyOptions, ENGINE_KEY_VERSION, type BuildEnvironment } from './keys.js';
export { planBuild, type BuildPlan, type PlanOptions, type PlatformBuild } from './plan.js';
export { runInDependencyOrder } from './scheduler.js';

export interface BuiltPackage {
  name: string;
  key: string;
  status: 'built' | 'cached';
  seconds: number;
  /** Paths relative to the repository root. */
  rpms: string[];
}

export interface BuildRpmsResult {
  repository: string;
  packages: BuiltPackage[];
}

export interface BuildOptions extends PlanOptions, LockWait {
  /** Called once the keys are known, before the repository is opened (the actions restore it from their cache here). */
  beforeBuild?: (plan: BuildPlan) => Promise<void>;
}

/**
 * Locks the stage's folder of the work folder (trees, spec queries, logs): two runs in one work folder
 * would remove and refill each other's trees and compute keys from the mix.
 */
export function lockStageDir(ctx: Context, opts: LockWait = {}): Promise<Lock> {
  return lockWorkFolder(ctx, join(ctx.workdir, 'build-rpms'), opts);
}

/**
 * The build-rpms stage: rebuilds every package of the manifest whose key is not in the repository
 * (and, through the keys, everything that build-requires it), in dependency order, ctx.jobs at a time.
 * It holds the work folder's lock, and the repository's from before `beforeBuild` (a cache restore writes
 * the repository) to the end: a second run on either waits for this one.
 */
export function buildRpms(ctx: Context, m: LoadedManifest, opts: BuildOptions = {}): Promise<BuildRpmsResult> {
  return holding(lockStageDir(ctx, opts), async () => {
    const plan = await planBuild(ctx, m, opts);
    ctx.tools.share(m.repository);
    return holding(lockRepository(m.repository, lockOptions(ctx, opts)), () => buildLocked(ctx, m, opts, plan));
  });
}

async function buildLocked(ctx: Context, m: LoadedManifest, opts: BuildOptions, plan: BuildPlan): Promise<BuildRpmsResult> {
  await opts.beforeBuild?.(plan);
  const repo = await Repository.open(ctx.tools.exec, m.repository, m.arch, { onWarning: (message) => ctx.reporter.warning(message) });
  assertExternalBuilt(m, plan, repo);
  const backends = new Map([...plan.platforms].map(([id, pl]) => [id, createBackend(plan, pl, repo)]));
  const logs = join(plan.stageDir, 'logs');
  await mkdir(logs, { recursive: true });
  const results = new Map<string, BuiltPackage>();

  const built = runInDependencyOrder(plan.graph, plan.order, ctx.jobs, async (name) => {
    const key = plan.keys.get(name)!;
    const pkg = plan.packages.get(name)!;
    const cached = repo.entry(name);
    if (cached?.key === key) {
      results.set(name, { name, key, status: 'cached', seconds: 0, rpms: cached.rpms });
      return;
    }
    const start = Date.now();
    const log = join(logs, `${name}.log`);
    ctx.reporter.info(`build-rpms: building ${name} (key ${key.slice(0, 12)}), log: ${log}`);
    const platform = plan.platforms.get(plan.platformOf.get(name)!)!;
    const backend = backends.get(platform.id)!;
    const install = FAMILY_RULES[platform.platform.family].installAllBuildRequires ? plan.specs.get(name)!.buildRequires : plan.fromRepo.get(name)!;
    const tree = plan.trees.get(name)!;
    // Prebuilt RPMs (kind rpms) enter as they are.
    const out = tree.prebuilt ? await prebuiltOutput(tree) : await ctx.reporter.progress({ what: `building ${name}`, log }, () => backend.build(ctx, { pkg, tree, install, log }));
    const files: RepoFile[] = [
      ...out.binary.filter((f) => keepsRpm(pkg, rpmNameOfFile(basename(f)), basename(f))).map((path) => ({ path, part: pkg.buildOnly ? ('buildOnly' as const) : ('binary' as const) })),
      ...out.source.map((path) => ({ path, part: 'src' as const })),
    ];
    if (!files.some((f) => f.part !== 'src')) {
      throw new DiracosError(`package '${name}': no binary RPM left to add to the repository (built: ${out.binary.map((f) => basename(f)).join(', ') || 'none'}; check pkgList/excludePatterns)`);
    }
    const postSteps = async () => {
      for (const [index, step] of pkg.postSteps.entries()) {
        await ctx.reporter.progress({ what: `running post step ${index + 1} of ${name}`, log }, () => backend.postStep(ctx, { pkg, index, step, log }));
      }
    };
    const entry = await repo.add(name, key, files, pkg.buildOnly, pkg.postSteps.length > 0 ? postSteps : undefined);
    results.set(name, { name, key, status: 'built', seconds: (Date.now() - start) / 1000, rpms: entry.rpms });
    ctx.reporter.info(`build-rpms: built ${name} in ${formatElapsed(Date.now() - start)}`);
  });
  try {
    await built;
  } finally {
    // The source RPMs' metadata, once for the run (also after a failure: what did enter is complete).
    await repo.flush();
  }

  const packages = plan.order.map((n) => results.get(n)!);
  ctx.reporter.table({
    title: 'build-rpms',
    header: ['package', 'key', 'status', 'seconds', 'RPMs'],
    rows: packages.map((p) => [p.name, p.key.slice(0, 12), p.status, p.seconds.toFixed(1), p.rpms.map((r) => basename(r)).join(' ')]),
  });
  return { repository: m.repository, packages };
}

/** With exact (a shard): what the shard build-requires from other shards must be in the repository under its key. */
function assertExternalBuilt(m: LoadedManifest, plan: BuildPlan, repo: Repository): void {
  const missing = plan.external.filter((d) => repo.entry(d)?.key !== plan.keys.get(d));
  if (missing.length === 0) return;
  const needers = (d: string) => plan.order.filter((p) => plan.graph.get(p)?.has(d));
  throw new DiracosError(
    `build-rpms (exact): the repository ${repo.layout.root} lacks packages this shard build-requires, with their current key; build their shards first:\n` +
      missing.map((d) => `  package '${d}' (key ${plan.keys.get(d)!.slice(0, 12)}${repo.entry(d) ? ', the repository has another' : ''}), needed by ${needers(d).join(', ')}`).join('\n'),
    { file: m.file },
  );
}

/** The backend of `build.backend` on one platform of the plan; planBuild has checked it can build there. */
function createBackend(plan: BuildPlan, platform: PlatformBuild, repo: Repository): Backend {
  const common = { image: platform.image, platform: platform.platform, repo: repo.layout, sourceDateEpoch: plan.env.sourceDateEpoch };
  if (plan.env.backend === 'mock') {
    return mockBackend({
      ...common,
      ourPackages: ourRpmNames(plan),
      configDir: join(plan.stageDir, 'mock-config'),
      // mock's root and package caches, shared by the builds and post steps of the run.
      cacheDir: join(plan.stageDir, 'mock-cache'),
    });
  }
  return containerBackend({ ...common, platformProvidesRpm: platform.platformProvidesRpm });
}

/** The binary RPM names of every package of the manifest that enter the repository. */
function ourRpmNames(plan: BuildPlan): string[] {
  const names = new Set<string>();
  for (const [pkg, info] of plan.specs) for (const sub of info.subpackages) if (keepsRpm(plan.packages.get(pkg)!, sub.name, sub.file)) names.add(sub.name);
  return [...names].sort();
}
