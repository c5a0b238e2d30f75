import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, visit, type Alias, type Document, type ErrorCode, type Node } from 'yaml';
import type { Location } from '../shared/errors.js';
import { readRpmLeadSync, rpmKindProblem } from '../sources/rpm-lead.js';
import { escapeOf, knownLinkPath, pathRoots, pipLocalPath, realPath, sha256FileSync, within, type PathRoots } from './paths.js';
import { FORBIDDEN_CHROOT_PACKAGES, globForRegex, PLACEHOLDER_SHA256, REGEX_SIGNS, RESERVED_ENVIRONMENT } from './policy.js';
import { manifestSchema, type Field, type Schema } from './schema.js';
import type { Manifest } from './types.js';

export interface Problem {
  message: string;
  location: Location;
}

/**
 * How many nodes aliases may add to the walk in all: plain reuse (an anchored list of setup
 * commands, `<<:` merges of package options) stays far below, an alias bomb (billion laughs) is refused.
 */
export const ALIAS_EXPANSION_LIMIT = 100_000;

interface Walk {
  file: string;
  lines: LineCounter;
  problems: Problem[];
  /** What is allowed but probably not meant (a regex where a glob goes, a placeholder digest). */
  warnings: Problem[];
  /** key path -> offset of its value in the text, for checks that span the tree. */
  where: Map<string, number>;
  /** Each alias -> the node it names (the last anchor of that name before it), if any. */
  anchors: Map<Alias, Node>;
  /** > 0 while walking nodes reached through an alias or a merge. */
  inAlias: number;
  /** Where the outermost alias being expanded stands. */
  aliasAt?: Location;
  /** Nodes the walk may still visit through aliases. */
  budget: number;
  /** Mappings whose entries are being merged (a mapping merged into itself is refused). */
  merging: Set<Node>;
}

class AliasBomb extends Error {
  constructor(readonly location: Location) {
    super('alias bomb');
  }
}

/**
 * A value as the schema walk returns it: whatever parts were valid, the wrong ones left out
 * (list items stay in place as undefined), so the cross-checks run on everything that can be checked.
 */
type Loose<T> = T extends Array<infer U> ? Array<Loose<U> | undefined> : T extends object ? { [K in keyof T]?: Loose<T[K]> } : T;

/**
 * Parses and validates a manifest text. Returns every problem found (not just the first), schema and
 * cross-checks alike, each as `key.path: message` at the line and column of the offending node, and the
 * warnings (allowed, probably not meant) in the same form.
 */
export function validateManifestText(text: string, file: string): { manifest?: Manifest; problems: Problem[]; warnings: Problem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, merge: true });
  const walk: Walk = { file, lines, problems: [], warnings: [], where: new Map(), anchors: anchorsOf(doc), inAlias: 0, budget: ALIAS_EXPANSION_LIMIT, merging: new Set() };
  const warnings = walk.warnings;
  const at = (offset: number): Location => ({ file, ...lineCol(lines, offset) });
  for (const e of doc.errors) walk.problems.push({ message: `YAML: ${YAML_ERRORS[e.code] ?? e.message.split('\n')[0]}`, location: at(e.pos[0]) });
  if (walk.problems.length > 0) return { problems: walk.problems, warnings };
  if (!doc.contents) {
    return { problems: [{ message: 'the manifest is empty', location: { file, line: 1, col: 1 } }], warnings };
  }
  let value: Loose<Manifest> | undefined;
  try {
    value = check(doc.contents as Node, manifestSchema, '', walk, 0) as Loose<Manifest> | undefined;
  } catch (e) {
    if (!(e instanceof AliasBomb)) throw e;
    const message = `YAML: aliases expand to more than ${ALIAS_EXPANSION_LIMIT} nodes (an alias bomb?); refusing the manifest`;
    return { problems: [{ message, location: e.location }], warnings };
  }
  if (value) crossChecks(value, walk, dirname(resolvePath(file)));
  const byPlace = (a: Problem, b: Problem) => (a.location.line ?? 0) - (b.location.line ?? 0) || (a.location.col ?? 0) - (b.location.col ?? 0);
  walk.problems.sort(byPlace);
  warnings.sort(byPlace);
  return walk.problems.length ? { problems: walk.problems, warnings } : { manifest: value as Manifest, problems: [], warnings };
}

/** The YAML library's messages that speak to its programmer rather than to the manifest's author. */
const YAML_ERRORS: Partial<Record<ErrorCode, string>> = {
  MULTIPLE_DOCS: 'a second document starts here; a manifest is one YAML document',
};

/**
 * The node at a key path of a valid manifest as validation reads it (aliases followed, `<<:` merges
 * applied): the mapping `diracos lock` writes a source's sha256 into.
 */
export function nodeAt(doc: Document, path: ReadonlyArray<string | number>): Node | undefined {
  const walk: Walk = { file: '', lines: new LineCounter(), problems: [], warnings: [], where: new Map(), anchors: anchorsOf(doc), inAlias: 0, budget: ALIAS_EXPANSION_LIMIT, merging: new Set() };
  const resolve = (n: Node | null | undefined) => (n && isAlias(n) ? walk.anchors.get(n) : (n ?? undefined));
  let node = resolve(doc.contents as Node | null);
  for (const key of path) {
    if (typeof key === 'number') node = node && isSeq(node) ? resolve(node.items[key] as Node | undefined) : undefined;
    else node = node && isMap(node) ? resolve(mapEntries(node, '', walk).find((e) => e.key === key)?.value) : undefined;
  }
  return node;
}

/** Resolves every alias once, as YAML does: to the last node anchored with its name before it. */
function anchorsOf(doc: Document): Map<Alias, Node> {
  const named = new Map<string, Node>();
  const out = new Map<Alias, Node>();
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        const target = named.get(node.source);
        if (target) out.set(node, target);
      } else if (node.anchor) named.set(node.anchor, node);
    },
  });
  return out;
}

function lineCol(lines: LineCounter, offset: number): { line: number; col: number } {
  const { line, col } = lines.linePos(offset);
  return { line, col };
}

function locationAt(walk: Walk, offset: number): Location {
  return { file: walk.file, ...lineCol(walk.lines, offset) };
}

function describe(node: Node | null): string {
  if (node === null || (isScalar(node) && node.value === null)) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return `${typeof node.value} ${JSON.stringify(node.value)}`;
  return 'an alias';
}

const expected: Record<Schema['type'], string> = {
  string: 'a string',
  strings: 'a string or a list of strings',
  scalar: 'a string, number or boolean',
  boolean: 'true or false',
  integer: 'an integer',
  array: 'a list',
  map: 'a mapping',
  object: 'a mapping',
};

/** Runs fn as part of an alias expansion that started at `loc`, charged against the walk's budget. */
function throughAlias<T>(walk: Walk, loc: Location, fn: () => T): T {
  if (walk.inAlias++ === 0) walk.aliasAt = loc;
  try {
    return fn();
  } finally {
    walk.inAlias--;
  }
}

/**
 * Checks node against schema; returns the plain value (the valid parts of it), or undefined where
 * nothing of it is usable. Every problem goes to walk.problems.
 */
function check(node: Node | null, schema: Schema, path: string, walk: Walk, offset: number): unknown {
  const start = node?.range?.[0] ?? offset;
  const loc = (): Location => locationAt(walk, start);
  if (walk.inAlias > 0 && --walk.budget < 0) throw new AliasBomb(walk.aliasAt ?? loc());
  const fail = (message: string): undefined => {
    walk.problems.push({ message: `${path || '(top)'}: ${message}`, location: loc() });
    return undefined;
  };
  if (node && isAlias(node)) {
    const target = walk.anchors.get(node);
    if (!target) return fail(`alias *${node.source} has no anchor &${node.source} before it`);
    const value = throughAlias(walk, loc(), () => check(target, schema, path, walk, start));
    // cross-checks point at the alias, where the value is used
    if (path) walk.where.set(path, start);
    return value;
  }
  if (path) walk.where.set(path, start);
  switch (schema.type) {
    case 'string':
    case 'scalar':
    case 'boolean':
    case 'integer': {
      const got = () => describe(node);
      if (!node || !isScalar(node) || node.value === null) return fail(`expected ${expected[schema.type]}, got ${got()}`);
      const v = node.value;
      if (schema.type === 'scalar') {
        if (!['string', 'number', 'boolean'].includes(typeof v)) return fail(`expected ${expected.scalar}, got ${got()}`);
        return String(v);
      }
      if (schema.type === 'boolean') return typeof v === 'boolean' ? v : fail(`expected true or false, got ${got()}`);
      if (schema.type === 'integer') {
        if (typeof v !== 'number' || !Number.isInteger(v)) return fail(`expected an integer, got ${got()}`);
        if (schema.min !== undefined && v < schema.min) return fail(`must be at least ${schema.min}, got ${v}`);
        return v;
      }
      if (typeof v !== 'string') {
        return fail(`expected a string, got ${got()}${typeof v === 'number' ? ' (quote it)' : ''}`);
      }
      if (schema.enum && !schema.enum.includes(v)) return fail(`must be one of ${schema.enum.join(', ')}; got ${JSON.stringify(v)}`);
      if (schema.pattern && !schema.pattern.test(v)) return fail(`must be ${schema.patternHint}; got ${JSON.stringify(v)}`);
      return v;
    }
    case 'strings': {
      // one string stands for a list of one
      if (node && isSeq(node)) {
        if (node.items.length === 0) return fail('needs at least 1 item');
        const items = node.items.map((item, i) => check(item as Node, { ...schema, type: 'string' }, `${path}[${i}]`, walk, start));
        return items.some((v) => v === undefined) ? undefined : items;
      }
      if (!node || !isScalar(node)) return fail(`expected ${expected.strings}, got ${describe(node)}`);
      const one = check(node, { ...schema, type: 'string' }, path, walk, start);
      return one === undefined ? undefined : [one];
    }
    case 'array': {
      if (!node || !isSeq(node)) return fail(`expected a list, got ${describe(node)}`);
      if (schema.minItems !== undefined && node.items.length < schema.minItems) {
        return fail(`needs at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`);
      }
      return node.items.map((item, i) => check(item as Node, schema.items, `${path}[${i}]`, walk, start));
    }
    case 'map':
    case 'object': {
      if (!node || !isMap(node)) return fail(`expected a mapping, got ${describe(node)}`);
      const out: Record<string, unknown> = {};
      const entries = mapEntries(node, path, walk);
      for (const { key, keyNode, value, merged } of entries) {
        const keyPath = path ? `${path}.${key}` : key;
        const keyLoc = () => locationAt(walk, keyNode?.range?.[0] ?? start);
        const field = schema.type === 'object' ? schema.fields[key] : undefined;
        if (schema.type === 'object' && !field) {
          walk.problems.push({ message: `${keyPath}: unknown key in ${schema.name}${suggest(key, Object.keys(schema.fields))}`, location: keyLoc() });
          continue;
        }
        if (schema.type === 'map' && schema.keyPattern && !schema.keyPattern.test(key)) {
          walk.problems.push({ message: `${keyPath}: key must be ${schema.keyHint}`, location: keyLoc() });
          continue;
        }
        const valueSchema = field ?? (schema as { values: Schema }).values;
        const after = keyNode?.range?.[1] ?? start;
        const v = merged ? throughAlias(walk, keyLoc(), () => check(value, valueSchema, keyPath, walk, after)) : check(value, valueSchema, keyPath, walk, after);
        if (v !== undefined) out[key] = v;
      }
      if (schema.type === 'object') {
        const present = new Set(entries.map((e) => e.key));
        for (const [key, field] of Object.entries(schema.fields) as Array<[string, Field]>) {
          if (field.required && !present.has(key)) fail(`missing required key '${key}'`);
        }
        if (schema.exactlyOne) {
          const p = schema.exactlyOne.filter((k) => present.has(k));
          const together = schema.together ?? [];
          const allowed = p.length === 1 || together.some((t) => t.keys.length === p.length && t.keys.every((k) => p.includes(k)));
          if (!allowed) {
            const or = together.length ? ` (or ${together.map((t) => t.meaning).join('; ')})` : '';
            fail(`${schema.name} needs exactly one of ${schema.exactlyOne.join(', ')}${or}${p.length ? `; got ${p.join(' and ')}` : ''}`);
          }
        }
        for (const rule of schema.needs ?? []) if (present.has(rule.key) && !present.has(rule.needs)) fail(rule.message);
        const onKey = (rule: { key: string; message: string }) => {
          const keyPath = path ? `${path}.${rule.key}` : rule.key;
          walk.problems.push({ message: `${keyPath}: ${rule.message}`, location: locationAt(walk, walk.where.get(keyPath) ?? start) });
        };
        for (const rule of schema.onlyWith ?? []) if (present.has(rule.key) && !present.has(rule.with)) onKey(rule);
        for (const rule of schema.notWith ?? []) if (present.has(rule.key) && present.has(rule.with)) onKey(rule);
      }
      return out;
    }
  }
}

interface Entry {
  key: string;
  keyNode: Node | null;
  value: Node | null;
  /** Comes from a `<<:` merge (an alias, usually). */
  merged: boolean;
}

const isMergeKey = (key: unknown): boolean => isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';

/**
 * The key/value pairs of a mapping with `<<:` merges applied as YAML 1.1 defines them: the mapping's
 * own keys win, then the merged mappings in order, the first one that has a key wins.
 */
function mapEntries(map: Node, path: string, walk: Walk): Entry[] {
  if (!isMap(map)) return [];
  const own: Entry[] = [];
  const merged: Entry[] = [];
  for (const pair of map.items) {
    const keyNode = pair.key as Node | null;
    const value = pair.value as Node | null;
    if (isMergeKey(keyNode)) {
      merged.push(...mergeSources(value, `${path ? `${path}.` : ''}<<`, walk));
      continue;
    }
    own.push({ key: isScalar(keyNode) ? String(keyNode.value) : '', keyNode, value, merged: false });
  }
  const seen = new Set(own.map((e) => e.key));
  return [...own, ...merged.filter((e) => !seen.has(e.key) && seen.add(e.key))];
}

/** The entries a `<<:` value brings: a mapping, or a list of them, each possibly an alias. */
function mergeSources(value: Node | null, path: string, walk: Walk): Entry[] {
  const resolve = (n: Node | null): Node | null => (n && isAlias(n) ? (walk.anchors.get(n) ?? null) : n);
  const at = (n: Node | null): Location => locationAt(walk, n?.range?.[0] ?? 0);
  const target = resolve(value);
  const sources = target && isSeq(target) ? target.items.map((i) => i as Node | null) : [value];
  const out: Entry[] = [];
  for (const source of sources) {
    const map = resolve(source);
    if (!map || !isMap(map)) {
      const what = source && isAlias(source) && !map ? `alias *${source.source} with no anchor before it` : describe(map);
      walk.problems.push({ message: `${path}: a merge takes a mapping or a list of mappings, got ${what}`, location: at(source) });
      continue;
    }
    if (walk.merging.has(map)) {
      walk.problems.push({ message: `${path}: a mapping cannot be merged into itself`, location: at(source) });
      continue;
    }
    walk.budget -= map.items.length;
    if (walk.budget < 0) throw new AliasBomb(walk.aliasAt ?? at(source));
    walk.merging.add(map);
    try {
      out.push(...mapEntries(map, path, walk).map((e) => ({ ...e, merged: true })));
    } finally {
      walk.merging.delete(map);
    }
  }
  return out;
}

/** "did you mean" for a near miss (case or a typo or two), else the list of known keys. */
function suggest(key: string, known: string[]): string {
  const near = known.find((k) => k.toLowerCase() === key.toLowerCase()) ?? known.find((k) => editDistance(k, key) <= 2);
  return near ? ` (did you mean '${near}'?)` : ` (known: ${known.join(', ')})`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

type LooseSource = Loose<Manifest['python']['source']>;

/**
 * Rules that need more than one node: names, references, files that must exist and stay in the
 * manifest's folder, digests of local files. They run on whatever the schema walk found valid.
 */
function crossChecks(m: Loose<Manifest>, walk: Walk, base: string): void {
  const where = (path: string): Location => {
    const offset = walk.where.get(path);
    return offset === undefined ? { file: walk.file } : locationAt(walk, offset);
  };
  const problem = (path: string, message: string) => walk.problems.push({ message: `${path}: ${message}`, location: where(path) });
  const warn = (path: string, message: string) => walk.warnings.push({ message: `${path}: ${message}`, location: where(path) });

  const unique = (items: Array<{ name?: string } | undefined>, path: (i: number) => string, what: string) => {
    const seen = new Map<string, string>();
    items.forEach((item, i) => {
      if (item?.name === undefined) return;
      const first = seen.get(item.name);
      if (first) {
        const line = where(`${first}.name`).line;
        problem(`${path(i)}.name`, `duplicate ${what} name '${item.name}' (first at ${line === undefined ? '' : `line ${line}, `}${first})`);
      } else seen.set(item.name, path(i));
    });
  };
  const groups = m.build?.packageGroups ?? [];
  const packages = groups.flatMap((g, gi) => (g?.packages ?? []).map((p, pi) => ({ p, path: `build.packageGroups[${gi}].packages[${pi}]` })));
  unique(packages.map((x) => x.p), (i) => packages[i]!.path, 'package');
  unique(groups, (i) => `build.packageGroups[${i}]`, 'package group');
  unique(m.platforms ?? [], (i) => `platforms[${i}]`, 'platform');

  // Only when every platform's name is known: a wrong one would make a right reference look dangling.
  const platforms = m.platforms;
  const buildPlatform = m.build?.platform;
  if (buildPlatform !== undefined && platforms && platforms.every((p) => p?.name !== undefined) && !platforms.some((p) => p!.name === buildPlatform)) {
    problem('build.platform', `no platform named '${buildPlatform}' (platforms: ${platforms.map((p) => p!.name).join(', ')})`);
  }
  const platformNames = platforms && platforms.every((p) => p?.name !== undefined) ? platforms.map((p) => p!.name!) : undefined;
  const placements = [
    ...groups.map((g, gi) => ({ at: g, path: `build.packageGroups[${gi}]` })),
    ...packages.map(({ p, path }) => ({ at: p, path })),
  ];
  for (const { at, path } of placements) {
    if (at?.platform !== undefined && platformNames && !platformNames.includes(at.platform)) {
      problem(`${path}.platform`, `no platform named '${at.platform}' (platforms: ${platformNames.join(', ')})`);
    }
  }

  // EPEL is excluded everywhere: no chroot setup may install it.
  const checkChroot = (path: string, list: Array<string | undefined> | undefined) =>
    list?.forEach((pkg, i) => {
      const rule = pkg === undefined ? undefined : FORBIDDEN_CHROOT_PACKAGES.find((r) => r.pattern.test(pkg));
      if (rule) problem(`${path}[${i}]`, `'${pkg}' may not be installed in a build root (${rule.why})`);
    });
  m.platforms?.forEach((pl, i) => checkChroot(`platforms[${i}].mock.chrootSetup`, pl?.mock?.chrootSetup));
  for (const { at, path } of placements) checkChroot(`${path}.platformOptions.chrootSetup`, at?.platformOptions?.chrootSetup);

  // Routines: mock makes the build itself, there is no rpmbuild command to replace.
  if (m.build?.backend === 'mock') {
    for (const { at, path } of [{ at: m.build, path: 'build' }, ...placements]) {
      if (at?.buildCommand !== undefined) {
        problem(`${path}.buildCommand`, 'buildCommand needs build.backend container (mock rebuilds the source RPM in its own chroot); prepare the tree with preSteps instead');
      }
    }
  }

  // Globs where regexes were meant (DIRACOS v1's excludePatterns were regexes).
  const checkGlobs = (path: string, list: Array<string | undefined> | undefined) =>
    list?.forEach((pattern, i) => {
      const glob = pattern === undefined ? undefined : globForRegex(pattern);
      if (glob === undefined) return;
      const signs = REGEX_SIGNS.filter((r) => r.sign.test(pattern!)).map((r) => r.what);
      warn(`${path}[${i}]`, `'${pattern}' looks like a regex (${signs.join('; ')}), but these patterns are globs; did you mean '${glob}'?`);
    });
  checkGlobs('build.excludePatterns', m.build?.excludePatterns);
  for (const { at, path } of placements) checkGlobs(`${path}.excludePatterns`, at?.excludePatterns);
  checkGlobs('bundle.excludedPackages', m.bundle?.excludedPackages);

  // diracosrc sets these itself.
  for (const name of Object.keys(m.bundle?.environment ?? {})) {
    if (RESERVED_ENVIRONMENT.includes(name)) problem(`bundle.environment.${name}`, `'${name}' is set by diracosrc itself (it manages ${RESERVED_ENVIRONMENT.join(', ')}); use another name`);
  }

  // Per-platform allowances name modules the tests import: a typo would allow nothing, silently.
  const modules = m.tests?.modules;
  m.platforms?.forEach((pl, i) =>
    pl?.modulesAllowedToFail?.forEach((mod, j) => {
      if (mod !== undefined && !(modules ?? []).includes(mod)) {
        problem(`platforms[${i}].modulesAllowedToFail[${j}]`, `'${mod}' is not in tests.modules (${(modules ?? []).filter(Boolean).join(', ') || 'none'}): only a module the tests import can be allowed to fail`);
      }
    }),
  );
  m.tests?.knownBrokenLinks?.forEach((entry, i) => {
    if (entry !== undefined && knownLinkPath(entry) === undefined) problem(`tests.knownBrokenLinks[${i}]`, `'${entry}' is not a path inside the bundle (e.g. usr/lib/x, as brokenLinks.txt lists it)`);
  });

  const allowed = m.allowPathsOutside ?? [];
  // A wrong allowPathsOutside entry allows nothing; the others still apply.
  const roots: PathRoots = pathRoots(base, allowed.filter((d): d is string => d !== undefined));

  /** A path the build reads: in the allowed folders; `mustExist`: there. Returns its absolute form when usable. */
  const input = (path: string, rel: string | undefined, mustExist: boolean): string | undefined => {
    if (rel === undefined) return undefined;
    const escape = escapeOf(rel, roots);
    if (escape) return void problem(path, escape);
    const abs = resolvePath(base, rel);
    if (mustExist && !exists(abs)) return void problem(path, `file not found: ${abs}`);
    return abs;
  };
  /** A source; `rpm`: it must be that kind of RPM (by its lead), `pinned`: it needs a sha256 even as a path. */
  const checkSource = (path: string, s: LooseSource | undefined, o: { rpm?: 'source' | 'binary'; pinned?: string } = {}) => {
    if (!s) return;
    if (s.sha256 && PLACEHOLDER_SHA256.test(s.sha256) && !('path' in s)) {
      warn(`${path}.sha256`, 'all zeros: a placeholder, not a digest; fetching the file fails its check until the real sha256 is given');
    }
    if (!('path' in s)) {
      if (!s.sha256) warn(path, 'not locked: no sha256 yet; run `diracos lock` where it can be downloaded (fetching refuses it until then)');
      return;
    }
    if (o.pinned && !s.sha256) problem(path, o.pinned);
    const abs = input(`${path}.path`, s.path, true);
    if (!abs) return;
    if (s.sha256) checkDigest(`${path}.sha256`, abs, s.sha256);
    if (o.rpm && isFile(abs)) {
      try {
        const wrong = rpmKindProblem(abs, readRpmLeadSync(abs), o.rpm);
        if (wrong) problem(`${path}.path`, wrong);
      } catch (e) {
        problem(`${path}.path`, `cannot read ${abs}: ${(e as Error).message}`);
      }
    }
  };
  const checkDigest = (path: string, abs: string, want: string) => {
    try {
      const info = statSync(abs);
      if (info.isDirectory()) return problem(path, `${abs} is a directory, which has no sha256 (point at a file such as a tarball, or drop sha256)`);
      if (!info.isFile()) return problem(path, `${abs} is not a regular file`);
      const got = sha256FileSync(abs);
      if (got !== want.toLowerCase()) problem(path, `sha256 mismatch for ${abs}: the manifest says ${want}, the file has ${got}`);
    } catch (e) {
      problem(path, `cannot read ${abs}: ${(e as Error).message}`);
    }
  };

  checkSource('python.source', m.python?.source);
  for (const { p, path } of packages) {
    if (!p) continue;
    checkSource(`${path}.srpm`, p.srpm, { rpm: 'source' });
    checkSource(`${path}.tarball`, p.tarball);
    p.sources?.forEach((s, i) => checkSource(`${path}.sources[${i}]`, s));
    p.rpms?.forEach((s, i) => checkSource(`${path}.rpms[${i}]`, s, { rpm: 'binary', pinned: 'a prebuilt RPM needs a sha256: it enters the repository as it is' }));
    input(`${path}.spec`, p.spec, true);
    p.patches?.forEach((f, i) => input(`${path}.patches[${i}]`, f, true));
    p.specPatches?.forEach((f, i) => input(`${path}.specPatches[${i}]`, f, true));
  }
  const pip = m.bundle?.pip;
  // A URL is pip's (`-r URL`); an absolute path is the build platform's, like every pip path.
  input('bundle.pip.requirementsFile', pip?.requirementsFile === undefined ? undefined : pipLocalPath(pip.requirementsFile, 'requirementsFile'), true);
  const indexPath = pip?.indexUrl === undefined ? undefined : pipLocalPath(pip.indexUrl, 'indexUrl');
  input('bundle.pip.indexUrl', indexPath, false);
  pip?.requirements?.forEach((r, i) => input(`bundle.pip.requirements[${i}]`, r === undefined ? undefined : pipLocalPath(r, 'requirement'), false));
  pip?.findLinks?.forEach((f, i) => {
    const path = `bundle.pip.findLinks[${i}]`;
    const abs = input(path, f === undefined ? undefined : pipLocalPath(f, 'findLinks'), false);
    // pip reads the files of a find-links folder, not deeper: each must stay in too
    if (abs) for (const name of filesIn(abs)) {
      const real = realPath(join(abs, name));
      if (![roots.base, ...roots.allowed].some((root) => within(real, root))) {
        problem(path, `${name} in '${f}' is a symlink out of the manifest's folder (to ${real}); list a folder holding it in allowPathsOutside to allow it`);
      }
    }
  });
  input('tests.script', m.tests?.script, true);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Names in a folder ([] when it is not one). */
function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
