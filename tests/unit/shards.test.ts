import { describe, expect, it } from 'vitest';
import { addBootstrapEdges, dependencyLevels, type BuildGraph } from '../../src/build-rpms/graph.js';
import type { LoadedManifest } from '../../src/manifest/load.js';
import { parseShard, planShards, type Shard } from '../../src/pipeline/shards.js';
import { DiracosError } from '../../src/shared/errors.js';

const graphOf = (edges: Record<string, string[]>): BuildGraph => new Map(Object.entries(edges).map(([p, ds]) => [p, new Map(ds.map((d) => [d, `${d}-devel`]))]));

/** A DIRACOS-like graph: bootstrap gdb, libraries, python, modules, tools. */
function diracosLike(): BuildGraph {
  const g = graphOf({
    gdb: [], zlib: [], bzip2: [], xz: [], libffi: [], ncurses: [], readline: ['ncurses'], openssl: ['zlib'],
    sqlite: ['readline'], python: ['zlib', 'bzip2', 'xz', 'libffi', 'openssl', 'readline', 'sqlite'],
    'python-pip': ['python'], 'python-six': ['python', 'python-pip'], curl: ['openssl', 'zlib'], git: ['curl', 'python'],
    voms: ['openssl'], 'python-m2crypto': ['python', 'openssl', 'python-pip'], lone: [],
  });
  addBootstrapEdges(g, new Set(['gdb']));
  return g;
}

function check(graph: BuildGraph, shards: Shard[], count: number): void {
  const where = new Map<string, Shard>();
  for (const s of shards) {
    for (const p of s.only) {
      expect(where.has(p), `${p} in two shards`).toBe(false);
      where.set(p, s);
    }
  }
  expect([...where.keys()].sort()).toEqual([...graph.keys()].sort());
  for (const [p, deps] of graph) for (const d of deps.keys()) expect(where.get(d)!.level, `${p} -> ${d}`).toBeLessThan(where.get(p)!.level);
  const levels = new Set(shards.map((s) => s.level));
  for (const l of levels) {
    const at = shards.filter((s) => s.level === l);
    expect(at.length).toBeLessThanOrEqual(count);
    const sizes = at.map((s) => s.only.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(new Set(at.map((s) => s.name)).size).toBe(at.length);
  }
}

describe('planShards', () => {
  it.each([1, 2, 3, 4, 7, 50])('%i job(s) per level: every package once, each after what it build-requires', (count) => {
    const graph = diracosLike();
    const plan = planShards(dependencyLevels(graph), count);
    check(graph, plan.include, count);
    expect(plan.levels.flatMap((l) => l.include)).toEqual(plan.include);
    expect(plan.levels.map((l) => new Set(l.include.map((s) => s.level)).size)).toEqual(plan.levels.map(() => 1));
  });

  it('the bootstrap package is alone in level 0; a level is split round-robin', () => {
    const plan = planShards(dependencyLevels(diracosLike()), 2);
    expect(plan.levels[0]!.include).toEqual([{ name: 'level0', only: ['gdb'], level: 0 }]);
    expect(plan.levels[1]!.include).toEqual([
      { name: 'level1-1', only: ['bzip2', 'lone', 'xz'], level: 1 },
      { name: 'level1-2', only: ['libffi', 'ncurses', 'zlib'], level: 1 },
    ]);
    expect(plan.levels.length).toBe(7);
  });

  it('an empty graph has no shard; a bad count is an error', () => {
    expect(planShards([], 4)).toEqual({ include: [], levels: [] });
    expect(() => planShards([['a']], 0)).toThrow(DiracosError);
  });
});

describe('parseShard', () => {
  const m = { file: '/x/diracos.yaml', packages: [{ name: 'zlib' }, { name: 'curl' }] } as unknown as LoadedManifest;
  it('takes one matrix entry back, checking its names', () => {
    expect(parseShard('', 'input', m)).toBeUndefined();
    expect(parseShard({ name: 'level1', only: ['curl'], level: 1 }, 'input', m)).toEqual({ name: 'level1', only: ['curl'], level: 1 });
    expect(() => parseShard({ name: 'level1', only: ['curl'] }, "input 'shard'", m)).toThrow(/input 'shard': expected .*"level": integer/);
    expect(() => parseShard({ name: 'l', only: ['nope'], level: 0 }, "input 'shard'", m)).toThrow(/package\(s\) not in \/x\/diracos.yaml: nope/);
  });
});

describe('planShards with a stage cap (the workflow has a fixed number of stage jobs)', () => {
  it.each([1, 2, 3, 4])('%i stage(s): deeper levels go into one last shard; dependencies still come first', (stages) => {
    const graph = diracosLike();
    const plan = planShards(dependencyLevels(graph), 3, stages);
    expect(plan.levels.length).toBe(stages);
    const last = plan.levels.at(-1)!.include;
    expect(last).toHaveLength(1);
    expect(last[0]!.name).toBe(`level${stages - 1}-rest`);
    const where = new Map(plan.include.flatMap((s) => s.only.map((p) => [p, s] as const)));
    expect([...where.keys()].sort()).toEqual([...graph.keys()].sort());
    expect(plan.include.flatMap((s) => s.only)).toHaveLength(graph.size);
    for (const [p, deps] of graph) {
      for (const d of deps.keys()) {
        const [sp, sd] = [where.get(p)!, where.get(d)!];
        // Either an earlier stage, or the same last shard, where the engine builds d before p.
        expect(sd.level < sp.level || sd === sp, `${p} -> ${d}`).toBe(true);
        if (sd === sp) expect(sp.only.indexOf(d)).toBeLessThan(sp.only.indexOf(p));
      }
    }
  });

  it('no folding when the levels fit', () => {
    const levels = dependencyLevels(diracosLike());
    expect(planShards(levels, 2, 7)).toEqual(planShards(levels, 2));
  });
});
