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

/** The options of a package that change what it builds or what enters the repository. */
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
