import type { ResolvedPackage } from '../manifest/resolve.js';
import { DiracosError } from '../shared/errors.js';
import { capabilityName, type SpecInfo } from './query.js';
import { keepsRpm } from './select.js';

/** package -> the in-manifest packages it build-requires, and why (the BuildRequires line). */
export type BuildGraph = Map<string, Map<string, string>>;

export interface Unsatisfied {
  package: string;
  requirement: string;
}

/**
 * Links each BuildRequires to the manifest packages whose repository-bound subpackages provide it
 * (names and Provides); what none provides must be satisfied by the platform, else it is reported.
 */
export function buildGraph(
  specs: ReadonlyMap<string, SpecInfo>,
  packages: ReadonlyMap<string, Pick<ResolvedPackage, 'pkgList' | 'excludePatterns'>>,
  /** undefined: not checked, whatever no package of ours provides is left to the platform. */
  platformSatisfied: ReadonlySet<string> | undefined,
): { graph: BuildGraph; unsatisfied: Unsatisfied[]; fromRepo: Map<string, string[]> } {
  const providers = new Map<string, Set<string>>();
  for (const [pkg, info] of specs) {
    for (const sub of info.subpackages) {
      if (!keepsRpm(packages.get(pkg)!, sub.name, sub.file)) continue;
      for (const cap of info.provides[sub.name] ?? [sub.name]) {
        if (!providers.has(cap)) providers.set(cap, new Set());
        providers.get(cap)!.add(pkg);
      }
    }
  }
  const graph: BuildGraph = new Map();
  const unsatisfied: Unsatisfied[] = [];
  const fromRepo = new Map<string, string[]>();
  for (const [pkg, info] of specs) {
    const deps = new Map<string, string>();
    const ours: string[] = [];
    for (const req of info.buildRequires) {
      const from = [...(providers.get(capabilityName(req)) ?? [])].filter((p) => p !== pkg);
      for (const p of from) if (!deps.has(p)) deps.set(p, req);
      if (from.length > 0) ours.push(req);
      if (from.length === 0 && platformSatisfied && !platformSatisfied.has(req)) unsatisfied.push({ package: pkg, requirement: req });
    }
    graph.set(pkg, deps);
    fromRepo.set(pkg, ours);
  }
  return { graph, unsatisfied, fromRepo };
}

/** Why a package depends on a bootstrap package (the edge has no BuildRequires line). */
export const BOOTSTRAP_EDGE = '(bootstrap group: builds before every other package)';

/**
 * Bootstrap packages build before every other package: each non-bootstrap package depends on each of
 * them, in scheduling and in its key (a rebuilt bootstrap package, e.g. gdb without python, rebuilds all).
 */
export function addBootstrapEdges(graph: BuildGraph, bootstrap: ReadonlySet<string>): void {
  for (const [pkg, deps] of graph) {
    if (bootstrap.has(pkg)) continue;
    for (const b of [...bootstrap].sort()) if (!deps.has(b)) deps.set(b, BOOTSTRAP_EDGE);
  }
}

/** Strongly connected components with more than one package: the build cycles (Tarjan). */
export function findCycles(graph: BuildGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) cycles.push(scc.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles;
}

/** Throws a DiracosError naming every cycle, its packages and the BuildRequires that close it. */
export function assertAcyclic(graph: BuildGraph): void {
  const cycles = findCycles(graph);
  if (cycles.length === 0) return;
  const describe = (scc: string[]) =>
    scc
      .flatMap((p) => [...graph.get(p)!].filter(([d]) => scc.includes(d)).map(([d, req]) => `    ${p} -> ${d} (BuildRequires: ${req})`))
      .join('\n');
  throw new DiracosError(
    `build dependency cycle${cycles.length > 1 ? 's' : ''} between packages:\n` + cycles.map((c) => `  ${c.join(', ')}\n${describe(c)}`).join('\n'),
  );
}

/** Packages by dependency level: level 0 needs nothing of ours, level n only packages of levels < n. */
export function dependencyLevels(graph: BuildGraph): string[][] {
  const level = new Map<string, number>();
  const of = (p: string): number => {
    const known = level.get(p);
    if (known !== undefined) return known;
    level.set(p, 0); // guards recursion; graphs here are acyclic
    const l = Math.max(-1, ...[...(graph.get(p)?.keys() ?? [])].map(of)) + 1;
    level.set(p, l);
    return l;
  };
  const levels: string[][] = [];
  for (const p of [...graph.keys()].sort()) (levels[of(p)] ??= []).push(p);
  return levels.map((l) => l.sort());
}

/** `names` and every package that build-requires them, directly or not. */
export function reverseCone(graph: BuildGraph, names: Iterable<string>): Set<string> {
  const cone = new Set(names);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [p, deps] of graph) {
      if (!cone.has(p) && [...deps.keys()].some((d) => cone.has(d))) {
        cone.add(p);
        grew = true;
      }
    }
  }
  return cone;
}

/** `names` and everything they build-require, directly or not. */
export function dependencyClosure(graph: BuildGraph, names: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const add = (p: string): void => {
    if (out.has(p)) return;
    out.add(p);
    for (const d of graph.get(p)?.keys() ?? []) add(d);
  };
  for (const n of names) add(n);
  return out;
}
