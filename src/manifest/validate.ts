import { existsSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { Location } from '../shared/errors.js';
import { manifestSchema, type Field, type Schema } from './schema.js';
import type { Manifest, SourceSpec } from './types.js';

export interface Problem {
  message: string;
  location: Location;
}

interface Walk {
  file: string;
  lines: LineCounter;
  problems: Problem[];
  /** key path -> where its value stands, for checks that span the tree. */
  where: Map<string, Location>;
}

/**
 * Parses and validates a manifest text. Returns every problem found (not just the first),
 * each as `key.path: message` at the line and column of the offending node.
 */
export function validateManifestText(text: string, file: string): { manifest?: Manifest; problems: Problem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const walk: Walk = { file, lines, problems: [], where: new Map() };
  const at = (offset: number): Location => ({ file, ...lineCol(lines, offset) });
  for (const e of doc.errors) walk.problems.push({ message: `YAML: ${e.message.split('\n')[0]}`, location: at(e.pos[0]) });
  if (walk.problems.length > 0) return { problems: walk.problems };
  if (!doc.contents) {
    return { problems: [{ message: 'the manifest is empty', location: { file, line: 1, col: 1 } }] };
  }
  const value = check(doc.contents as Node, manifestSchema, '', walk, 0) as Manifest | undefined;
  if (value) crossChecks(value, walk, dirname(resolvePath(file)));
  walk.problems.sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0) || (a.location.col ?? 0) - (b.location.col ?? 0));
  return walk.problems.length ? { problems: walk.problems } : { manifest: value, problems: [] };
}

function lineCol(lines: LineCounter, offset: number): { line: number; col: number } {
  const { line, col } = lines.linePos(offset);
  return { line, col };
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
  scalar: 'a string, number or boolean',
  boolean: 'true or false',
  integer: 'an integer',
  array: 'a list',
  map: 'a mapping',
  object: 'a mapping',
};

/** Checks node against schema; returns the plain value, or undefined where it is wrong. */
function check(node: Node | null, schema: Schema, path: string, walk: Walk, offset: number): unknown {
  const start = node?.range?.[0] ?? offset;
  const loc: Location = { file: walk.file, ...lineCol(walk.lines, start) };
  const fail = (message: string): undefined => {
    walk.problems.push({ message: `${path || '(top)'}: ${message}`, location: loc });
    return undefined;
  };
  if (path) walk.where.set(path, loc);
  const got = describe(node);
  switch (schema.type) {
    case 'string':
    case 'scalar':
    case 'boolean':
    case 'integer': {
      if (!node || !isScalar(node) || node.value === null) return fail(`expected ${expected[schema.type]}, got ${got}`);
      const v = node.value;
      if (schema.type === 'scalar') {
        if (!['string', 'number', 'boolean'].includes(typeof v)) return fail(`expected ${expected.scalar}, got ${got}`);
        return String(v);
      }
      if (schema.type === 'boolean') return typeof v === 'boolean' ? v : fail(`expected true or false, got ${got}`);
      if (schema.type === 'integer') {
        if (typeof v !== 'number' || !Number.isInteger(v)) return fail(`expected an integer, got ${got}`);
        if (schema.min !== undefined && v < schema.min) return fail(`must be at least ${schema.min}, got ${v}`);
        return v;
      }
      if (typeof v !== 'string') {
        return fail(`expected a string, got ${got}${typeof v === 'number' ? ' (quote it)' : ''}`);
      }
      if (schema.enum && !schema.enum.includes(v)) return fail(`must be one of ${schema.enum.join(', ')}; got ${JSON.stringify(v)}`);
      if (schema.pattern && !schema.pattern.test(v)) return fail(`must be ${schema.patternHint}; got ${JSON.stringify(v)}`);
      return v;
    }
    case 'array': {
      if (!node || !isSeq(node)) return fail(`expected a list, got ${got}`);
      if (schema.minItems !== undefined && node.items.length < schema.minItems) {
        return fail(`needs at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`);
      }
      const out = node.items.map((item, i) => check(item as Node, schema.items, `${path}[${i}]`, walk, start));
      return out.includes(undefined) ? undefined : out;
    }
    case 'map':
    case 'object': {
      if (!node || !isMap(node)) return fail(`expected a mapping, got ${got}`);
      const out: Record<string, unknown> = {};
      let ok = true;
      for (const pair of node.items) {
        const keyNode = pair.key as Node;
        const key = isScalar(keyNode) ? String(keyNode.value) : '';
        const keyPath = path ? `${path}.${key}` : key;
        const keyLoc: Location = { file: walk.file, ...lineCol(walk.lines, keyNode?.range?.[0] ?? start) };
        const field = schema.type === 'object' ? schema.fields[key] : undefined;
        if (schema.type === 'object' && !field) {
          walk.problems.push({ message: `${keyPath}: unknown key in ${schema.name}${suggest(key, Object.keys(schema.fields))}`, location: keyLoc });
          ok = false;
          continue;
        }
        if (schema.type === 'map' && schema.keyPattern && !schema.keyPattern.test(key)) {
          walk.problems.push({ message: `${keyPath}: key must be ${schema.keyHint}`, location: keyLoc });
          ok = false;
          continue;
        }
        const v = check(pair.value as Node | null, field ?? (schema as { values: Schema }).values, keyPath, walk, keyNode?.range?.[1] ?? start);
        if (v === undefined) ok = false;
        else out[key] = v;
      }
      if (schema.type === 'object') {
        for (const [key, field] of Object.entries(schema.fields) as Array<[string, Field]>) {
          if (field.required && !node.items.some((p) => isScalar(p.key) && p.key.value === key)) {
            fail(`missing required key '${key}'`);
            ok = false;
          }
        }
        const present = (keys: readonly string[]) => keys.filter((k) => k in out || node.items.some((p) => isScalar(p.key) && p.key.value === k));
        if (schema.exactlyOne && present(schema.exactlyOne).length !== 1) {
          const p = present(schema.exactlyOne);
          fail(`${schema.name} needs exactly one of ${schema.exactlyOne.join(', ')}${p.length ? `; got ${p.join(' and ')}` : ''}`);
          ok = false;
        }
      }
      return ok ? out : undefined;
    }
  }
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

/** Rules that need more than one node: names, references, required companions, files that must exist. */
function crossChecks(m: Manifest, walk: Walk, base: string): void {
  const problem = (path: string, message: string) =>
    walk.problems.push({ message: `${path}: ${message}`, location: walk.where.get(path) ?? { file: walk.file } });

  const unique = (items: Array<{ name: string }>, path: (i: number) => string, what: string) => {
    const seen = new Map<string, string>();
    items.forEach((item, i) => {
      const first = seen.get(item.name);
      if (first) problem(`${path(i)}.name`, `duplicate ${what} name '${item.name}' (first at ${first})`);
      else seen.set(item.name, path(i));
    });
  };
  const packages = m.build.packageGroups.flatMap((g, gi) => g.packages.map((p, pi) => ({ p, path: `build.packageGroups[${gi}].packages[${pi}]` })));
  unique(packages.map((x) => x.p), (i) => packages[i]!.path, 'package');
  unique(m.build.packageGroups, (i) => `build.packageGroups[${i}]`, 'package group');
  unique(m.platforms, (i) => `platforms[${i}]`, 'platform');

  if (!m.platforms.some((p) => p.name === m.build.platform)) {
    problem('build.platform', `no platform named '${m.build.platform}' (platforms: ${m.platforms.map((p) => p.name).join(', ')})`);
  }

  const mustExist = (path: string, rel: string | undefined) => {
    if (rel !== undefined && !existsSync(resolvePath(base, rel))) problem(path, `file not found: ${resolvePath(base, rel)}`);
  };
  const checkSource = (path: string, s: SourceSpec | undefined) => {
    if (!s) return;
    if (('url' in s || 'apt' in s) && !('sha256' in s && s.sha256)) problem(path, `${'url' in s ? 'url' : 'apt'} sources need a sha256`);
    if ('version' in s && !('apt' in s)) problem(`${path}.version`, 'version goes only with apt');
    if ('path' in s) mustExist(`${path}.path`, s.path);
  };
  checkSource('python.source', m.python.source);
  for (const { p, path } of packages) {
    checkSource(`${path}.srpm`, p.srpm);
    checkSource(`${path}.tarball`, p.tarball);
    p.sources?.forEach((s, i) => checkSource(`${path}.sources[${i}]`, s));
    if (p.sources && !p.spec) problem(`${path}.sources`, 'sources go only with spec (an SRPM or tarball carries its own)');
    mustExist(`${path}.spec`, p.spec);
    p.patches?.forEach((f, i) => mustExist(`${path}.patches[${i}]`, f));
  }
  mustExist('bundle.pip.requirementsFile', m.bundle?.pip?.requirementsFile);
  mustExist('tests.script', m.tests?.script);
}
