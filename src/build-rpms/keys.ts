import type { ResolvedPackage } from '../manifest/resolve.js';
import { sha256Object } from '../shared/hash.js';
import type { BuildGraph } from './graph.js';

/** Bump when the engine changes how it builds, so every package rebuilds once. */
export const ENGINE_KEY_VERSION = 2;

/** What is the same for every package of a run: backend and build platform. */
export interface BuildEnvironment {
  backend: string;
  image: string;
  setup: readonly string[];
  family: string;
  /** SOURCE_DATE_EPOCH of the builds (build time and file times in the RPMs). */
  sourceDateEpoch: number;
}

/**
 * The options of a package that change what it builds or what enters the repository. Options added
 * later (routines, placement, kinds) enter only when a package uses them, so the keys of packages
 * that use none stay what they were. Spec patches act through the files: the patched tree is hashed,
 * and so is each patch (see treeDigests).
 */
export function keyOptions(p: ResolvedPackage): Record<string, unknown> {
  return {
    defines: p.defines,
    with: p.with,
    without: p.without,
    check: p.check,
    buildOnly: p.buildOnly,
    pkgList: p.pkgList,
    excludePatterns: p.excludePatterns,
    postSteps: p.postSteps,
    ...(p.kind === 'rpms' ? { kind: p.kind } : {}),
    ...(p.kind === 'srpm' && p.spec ? { replacedSpec: true } : {}),
    ...(p.preSteps?.length ? { preSteps: p.preSteps } : {}),
    ...(p.buildCommand !== undefined ? { buildCommand: p.buildCommand } : {}),
    ...(p.platform !== undefined ? { platform: p.platform } : {}),
    ...(p.platformOptions ? { platformOptions: { setup: p.platformOptions.setup ?? [], chrootSetup: p.platformOptions.chrootSetup ?? [] } } : {}),
  };
}

/**
 * key = sha256(own files, options, environment, keys of the in-manifest packages it build-requires),
 * computed in dependency order: a change anywhere reaches exactly the package's reverse build cone.
 */
export function computeKeys(
  graph: BuildGraph,
  order: readonly string[],
  own: ReadonlyMap<string, { files: Record<string, string>; options: Record<string, unknown> }>,
  env: BuildEnvironment,
): Map<string, string> {
  const keys = new Map<string, string>();
  for (const name of order) {
    const deps = Object.fromEntries([...(graph.get(name)?.keys() ?? [])].sort().map((d) => [d, keys.get(d)!]));
    keys.set(name, sha256Object({ v: ENGINE_KEY_VERSION, name, ...own.get(name)!, env, deps }));
  }
  return keys;
}
