import { describe, expect, it } from 'vitest';
import type { BuildGraph } from '../../src/build-rpms/graph.js';
import { computeKeys, keyOptions, type BuildEnvironment } from '../../src/build-rpms/keys.js';
import type { ResolvedPackage } from '../../src/manifest/resolve.js';

const graph: BuildGraph = new Map([
  ['lib', new Map()],
  ['prog', new Map([['lib', 'lib-devel']])],
  ['tool', new Map([['prog', 'prog']])],
  ['other', new Map()],
]);
const order = ['lib', 'other', 'prog', 'tool'];
const env: BuildEnvironment = { backend: 'container', image: 'img', setup: [], family: 'debian', sourceDateEpoch: 0 };
const own = (changes: Record<string, Record<string, string>> = {}) =>
  new Map(order.map((n) => [n, { files: { [`SPECS/${n}.spec`]: n, ...changes[n] }, options: { check: true } }]));

describe('computeKeys', () => {
  const base = computeKeys(graph, order, own(), env);

  it('is stable for equal inputs and distinct per package', () => {
    expect(computeKeys(graph, order, own(), env)).toEqual(base);
    expect(new Set(base.values()).size).toBe(4);
    for (const k of base.values()) expect(k).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes a package and exactly its reverse build-dependency cone', () => {
    const changed = computeKeys(graph, order, own({ lib: { 'SPECS/lib.spec': 'edited' } }), env);
    const differ = order.filter((n) => changed.get(n) !== base.get(n));
    expect(differ).toEqual(['lib', 'prog', 'tool']);
  });

  it('changes every key with the platform or the options', () => {
    const otherEnv = computeKeys(graph, order, own(), { ...env, setup: ['apt-get install -y cmake'] });
    expect(order.filter((n) => otherEnv.get(n) === base.get(n))).toEqual([]);
    const opts = own();
    opts.set('other', { ...opts.get('other')!, options: { check: false } });
    expect(order.filter((n) => computeKeys(graph, order, opts, env).get(n) !== base.get(n))).toEqual(['other']);
  });
});

describe('keyOptions', () => {
  const plain: ResolvedPackage = {
    name: 'a',
    group: 'g',
    bootstrap: false,
    kind: 'srpm',
    srpm: { path: '/m/a.src.rpm' },
    sources: [],
    patches: [],
    defines: {},
    with: [],
    without: [],
    check: true,
    buildOnly: false,
    excludePatterns: [],
    postSteps: [],
  };

  it('preSteps, buildCommand, platform, platformOptions, a replaced spec and prebuilt RPMs each change it; a package using none keeps its key', () => {
    expect(keyOptions(plain)).toEqual({ defines: {}, with: [], without: [], check: true, buildOnly: false, pkgList: undefined, excludePatterns: [], postSteps: [] });
    const variants: ResolvedPackage[] = [
      { ...plain, preSteps: ['sed -i s/a/b/ SPECS/a.spec'] },
      { ...plain, buildCommand: 'make rpm' },
      { ...plain, platform: 'cc7' },
      { ...plain, platformOptions: { chrootSetup: ['perl'] } },
      { ...plain, platformOptions: { setup: ['yum -y install perl'] } },
      { ...plain, spec: '/m/a.spec' },
      { ...plain, kind: 'rpms', srpm: undefined, rpms: [{ path: '/m/a.x86_64.rpm', sha256: '1'.repeat(64) }] },
    ];
    const keys = [plain, ...variants].map((p) => JSON.stringify(keyOptions(p)));
    expect(new Set(keys).size).toBe(keys.length);
  });
});
