import { describe, expect, it } from 'vitest';
import {
  addBootstrapEdges,
  assertAcyclic,
  BOOTSTRAP_EDGE,
  buildGraph,
  dependencyClosure,
  dependencyLevels,
  findCycles,
  reverseCone,
  type BuildGraph,
} from '../../src/build-rpms/graph.js';
import type { SpecInfo } from '../../src/build-rpms/query.js';
import { DiracosError } from '../../src/shared/errors.js';

function spec(name: string, buildRequires: string[], subs: Record<string, string[]> = { [name]: [] }): SpecInfo {
  return {
    name,
    parsedSpec: '',
    buildRequires,
    subpackages: Object.keys(subs).map((s) => ({ name: s, file: `${s}-1-1.x86_64.rpm` })),
    provides: Object.fromEntries(Object.entries(subs).map(([s, p]) => [s, [s, ...p]])),
  };
}

const opts = { excludePatterns: [] as string[] };
const all = (names: string[]) => new Map(names.map((n) => [n, opts]));
const graphOf = (edges: Record<string, string[]>): BuildGraph =>
  new Map(Object.entries(edges).map(([p, ds]) => [p, new Map(ds.map((d) => [d, `${d}-devel`]))]));

describe('buildGraph', () => {
  const specs = new Map([
    ['zlib', spec('zlib', ['gcc'], { zlib: [], 'zlib-devel': ['pkgconfig(zlib)'] })],
    ['openssl', spec('openssl', ['gcc', 'zlib-devel >= 1.2'], { openssl: ['libssl.so.3()(64bit)'], 'openssl-devel': [] })],
    ['curl', spec('curl', ['pkgconfig(zlib)', 'openssl-devel', 'make'])],
  ]);

  it('links BuildRequires to the packages providing them by name or Provides, versions ignored', () => {
    const { graph, unsatisfied, fromRepo } = buildGraph(specs, all(['zlib', 'openssl', 'curl']), new Set(['gcc', 'make']));
    expect(unsatisfied).toEqual([]);
    expect([...graph.get('openssl')!.keys()]).toEqual(['zlib']);
    expect([...graph.get('curl')!.keys()].sort()).toEqual(['openssl', 'zlib']);
    expect(graph.get('zlib')!.size).toBe(0);
    expect(fromRepo.get('openssl')).toEqual(['zlib-devel >= 1.2']);
    expect(fromRepo.get('curl')).toEqual(['pkgconfig(zlib)', 'openssl-devel']);
  });

  it('reports what neither the manifest nor the platform provides, with the package', () => {
    const { unsatisfied } = buildGraph(specs, all(['zlib', 'openssl', 'curl']), new Set(['gcc']));
    expect(unsatisfied).toEqual([{ package: 'curl', requirement: 'make' }]);
  });

  it('does not count subpackages that pkgList or excludePatterns keep out of the repository', () => {
    type Opts = { pkgList?: string[]; excludePatterns: string[] };
    const packages = new Map<string, Opts>([
      ['zlib', { pkgList: ['zlib'], excludePatterns: [] }],
      ['openssl', opts],
      ['curl', opts],
    ]);
    const { unsatisfied } = buildGraph(specs, packages, new Set(['gcc', 'make']));
    expect(unsatisfied.map((u) => u.requirement).sort()).toEqual(['pkgconfig(zlib)', 'zlib-devel >= 1.2']);
    const excluded = new Map<string, Opts>([...packages, ['zlib', { excludePatterns: ['zlib-devel-*'] }]]);
    expect(buildGraph(specs, excluded, new Set(['gcc', 'make'])).unsatisfied).toHaveLength(2);
  });

  it('ignores a package providing its own BuildRequires (it must come from the platform)', () => {
    const self = new Map([['gcc', spec('gcc', ['gcc'])]]);
    expect(buildGraph(self, all(['gcc']), new Set()).unsatisfied).toEqual([{ package: 'gcc', requirement: 'gcc' }]);
    expect(buildGraph(self, all(['gcc']), new Set(['gcc'])).graph.get('gcc')!.size).toBe(0);
  });
});

describe('cycles', () => {
  it('finds every cycle with its packages and names them in the error', () => {
    const g = graphOf({ a: ['b'], b: ['c'], c: ['a'], d: ['a'], e: ['f'], f: ['e'], g: [] });
    expect(findCycles(g)).toEqual([['a', 'b', 'c'], ['e', 'f']]);
    expect(() => assertAcyclic(g)).toThrow(DiracosError);
    expect(() => assertAcyclic(g)).toThrow(/a, b, c[\s\S]*a -> b \(BuildRequires: b-devel\)[\s\S]*e, f/);
  });

  it('accepts an acyclic graph', () => {
    expect(() => assertAcyclic(graphOf({ a: [], b: ['a'], c: ['a', 'b'] }))).not.toThrow();
  });
});

describe('levels and cones', () => {
  const g = graphOf({ lib: [], prog: ['lib'], tool: ['prog', 'lib'], other: [], plugin: ['other'] });

  it('groups packages by dependency level, each level only needing earlier ones', () => {
    expect(dependencyLevels(g)).toEqual([['lib', 'other'], ['plugin', 'prog'], ['tool']]);
  });

  it('gives the reverse build-dependency cone and the dependency closure', () => {
    expect([...reverseCone(g, ['lib'])].sort()).toEqual(['lib', 'prog', 'tool']);
    expect([...reverseCone(g, ['other'])].sort()).toEqual(['other', 'plugin']);
    expect([...dependencyClosure(g, ['tool'])].sort()).toEqual(['lib', 'prog', 'tool']);
  });
});

describe('addBootstrapEdges', () => {
  it('makes every other package depend on every bootstrap package: they form level 0 alone', () => {
    const g = graphOf({ gdb: [], zlib: [], curl: ['zlib'], boot2: [] });
    addBootstrapEdges(g, new Set(['gdb', 'boot2']));
    expect([...g.get('zlib')!]).toEqual([['boot2', BOOTSTRAP_EDGE], ['gdb', BOOTSTRAP_EDGE]]);
    expect([...g.get('curl')!.keys()]).toEqual(['zlib', 'boot2', 'gdb']);
    expect(g.get('gdb')!.size).toBe(0);
    expect(dependencyLevels(g)).toEqual([['boot2', 'gdb'], ['zlib'], ['curl']]);
  });

  it('a bootstrap package that build-requires an ordinary one is a cycle naming both', () => {
    const g = graphOf({ gdb: ['zlib'], zlib: [] });
    addBootstrapEdges(g, new Set(['gdb']));
    expect(() => assertAcyclic(g)).toThrow(/gdb, zlib[\s\S]*zlib -> gdb \(BuildRequires: \(bootstrap group/);
  });
});
