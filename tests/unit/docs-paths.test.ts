// Every repository file docs/architecture.md and README.md cite exists: a renamed or removed file fails
// here, not in a reader's hands.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const exists = (path: string) => existsSync(join(ROOT, path));

/** Markdown links to files of the repository (not URLs, not anchors), resolved from the page's folder. */
function linkedFiles(page: string, text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!.split('#')[0]!)
    .filter((t) => t !== '' && !/^[a-z]+:/i.test(t))
    .map((t) => join(dirname(page), t));
}

const TOP = /^(?:src|tests|scripts|bench|tools|examples|docs|dist|config|\.github)\//;
/** `code` spans naming a path under one of the repository's top folders (placeholders and globs left out). */
function quotedPaths(text: string): string[] {
  return [...text.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!).filter((t) => TOP.test(t) && !/[<>*{}$]/.test(t));
}

interface Cited {
  cited: string;
  line: number;
  candidates: string[];
}

/**
 * File and folder names in docs/architecture.md: in the tree, relative to the folder their line (or the
 * line it continues) starts with (`  build-rpms/` is src/build-rpms/, `tests/support/` itself), else to
 * src/, else to the repository. `code` spans are names as typed (commands, a user's files), left out.
 */
function architectureFiles(text: string): Cited[] {
  const out: Cited[] = [];
  let folder = '';
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/`[^`]*`/g, (q) => ' '.repeat(q.length));
    const inSrc = /^ {2}([\w-]+\/)\s/.exec(line);
    const top = /^([\w.-]+(?:\/[\w.-]+)*\/)\s/.exec(line);
    if (inSrc) folder = `src/${inSrc[1]!}`;
    else if (top) folder = top[1]!;
    else if (!/^ {3,}/.test(line)) folder = '';
    for (const m of line.matchAll(/(?<![\w./-])((?:[\w.-]+\/)*(?:[\w.-]+\.(?:ts|mjs|js|sh|yml|yaml|json|txt|md)|Containerfile|[\w.-]+\/))(?![\w/])/g)) {
      const cited = m[1]!;
      // placeholders (dist/<name>/index.js) and globs (*-rules.ts) name no one file
      if (/[<>*{}]/.test(line.slice(Math.max(0, m.index! - 1), m.index! + cited.length + 1))) continue;
      if (cited.startsWith('.')) continue;
      out.push({ cited, line: i + 1, candidates: [join(folder, cited), join('src', cited), cited] });
    }
  });
  return out;
}

const missingIn = (cited: Cited[]) => cited.filter((c) => !c.candidates.some(exists)).map((c) => `line ${c.line}: ${c.cited}`);

describe('the files the documentation cites', () => {
  it.each([
    ['README.md', 10],
    ['docs/architecture.md', 0],
  ])('%s links to files that exist', (page, atLeast) => {
    const links = linkedFiles(page, read(page));
    expect(links.length).toBeGreaterThanOrEqual(atLeast);
    expect(links.filter((f) => !exists(f))).toEqual([]);
  });

  it('README.md quotes paths that exist', () => {
    const paths = quotedPaths(read('README.md'));
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((p) => !exists(p))).toEqual([]);
  });

  it('docs/architecture.md names files and folders that exist', () => {
    const cited = architectureFiles(read('docs/architecture.md'));
    expect(cited.length).toBeGreaterThan(100);
    expect(missingIn(cited)).toEqual([]);
  });

  it('reports what does not exist: a file renamed away, a policy.ts in the wrong folder, a dead link', () => {
    const architecture = read('docs/architecture.md')
      .replace('backend-mock.ts', 'mock-engine-backend.ts')
      .replace('  rules/         rules as data', '  rules/         policy.ts, rules as data');
    expect(missingIn(architectureFiles(architecture)).map((m) => m.replace(/^line \d+: /, ''))).toEqual(['policy.ts', 'mock-engine-backend.ts']);
    const readme = `${read('README.md')}\nsee \`src/pipeline/tarball.ts\` and [the context](src/cli/context.ts)\n`;
    expect(quotedPaths(readme).filter((p) => !exists(p))).toEqual(['src/pipeline/tarball.ts']);
    expect(linkedFiles('README.md', readme).filter((f) => !exists(f))).toEqual(['src/cli/context.ts']);
  });
});
