import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { LoadedManifest } from '../manifest/load.js';
import type { ResolvedPackage } from '../manifest/resolve.js';
import type { Context } from '../shared/context.js';
import { DiracosError } from '../shared/errors.js';
import { Repository, type RepoFile } from '../repo/repository.js';
import { containerBackend, type Backend } from './container-backend.js';
import { planBuild, type BuildPlan } from './plan.js';
import { FAMILY_RULES } from './platform-rules.js';
import { runInDependencyOrder } from './scheduler.js';
import { keepsRpm, rpmNameOfFile } from './select.js';

export { assertAcyclic, buildGraph, buildOrder, dependencyClosure, dependencyLevels, findCycles, reverseCone, type BuildGraph } from './graph.js';
export { computeKeys, keyOptions, ENGINE_KEY_VERSION, type BuildEnvironment } from './keys.js';
export { planBuild, type BuildPlan, type PlanOptions } from './plan.js';
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

/**
 * The build-rpms stage: rebuilds every package of the manifest whose key is not in the repository
 * (and, through the keys, everything that build-requires it), in dependency order, ctx.jobs at a time.
 */
export async function buildRpms(ctx: Context, m: LoadedManifest, opts: { only?: string[]; packages?: ResolvedPackage[] } = {}): Promise<BuildRpmsResult> {
  const plan = await planBuild(ctx, m, opts);
  const repo = await Repository.open(ctx.exec, m.repository, m.arch);
  const backend = createBackend(m, plan, repo);
  const logs = join(plan.stageDir, 'logs');
  await mkdir(logs, { recursive: true });
  const results = new Map<string, BuiltPackage>();

  await runInDependencyOrder(plan.graph, plan.order, ctx.jobs, async (name) => {
    const key = plan.keys.get(name)!;
    const pkg = plan.packages.get(name)!;
    const cached = repo.entry(name);
    if (cached?.key === key) {
      results.set(name, { name, key, status: 'cached', seconds: 0, rpms: cached.rpms });
      return;
    }
    const start = Date.now();
    ctx.reporter.info(`build-rpms: building ${name} (key ${key.slice(0, 12)})`);
    const install = FAMILY_RULES[m.buildPlatform.family].installAllBuildRequires ? plan.specs.get(name)!.buildRequires : plan.fromRepo.get(name)!;
    const out = await backend.build(ctx, { pkg, tree: plan.trees.get(name)!, install, log: join(logs, `${name}.log`) });
    const files: RepoFile[] = [
      ...out.binary.filter((f) => keepsRpm(pkg, rpmNameOfFile(basename(f)), basename(f))).map((path) => ({ path, part: pkg.buildOnly ? ('buildOnly' as const) : ('binary' as const) })),
      ...out.source.map((path) => ({ path, part: 'src' as const })),
    ];
    if (!files.some((f) => f.part !== 'src')) {
      throw new DiracosError(`package '${name}': no binary RPM left to add to the repository (built: ${out.binary.map((f) => basename(f)).join(', ') || 'none'}; check pkgList/excludePatterns)`);
    }
    const entry = await repo.add(name, key, files, pkg.buildOnly);
    results.set(name, { name, key, status: 'built', seconds: (Date.now() - start) / 1000, rpms: entry.rpms });
  });

  const packages = plan.order.map((n) => results.get(n)!);
  ctx.reporter.table({
    title: 'build-rpms',
    header: ['package', 'key', 'status', 'seconds', 'RPMs'],
    rows: packages.map((p) => [p.name, p.key.slice(0, 12), p.status, p.seconds.toFixed(1), p.rpms.map((r) => basename(r)).join(' ')]),
  });
  return { repository: m.repository, packages };
}

/** Backends by name; `mock` is built elsewhere (mock-config). */
function createBackend(m: LoadedManifest, plan: BuildPlan, repo: Repository): Backend {
  const name = m.manifest.build.backend ?? 'container';
  if (name === 'container') return containerBackend({ image: plan.image, platform: m.buildPlatform, repo: repo.layout, platformProvidesRpm: plan.platformProvidesRpm });
  throw new DiracosError(`build backend '${name}' is not available in this engine yet`, { file: m.file });
}
