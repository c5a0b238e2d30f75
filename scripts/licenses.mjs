// The third-party packages esbuild put into dist/ and their licence texts, for dist/licenses.txt.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A package directory (node_modules/<name> or node_modules/@scope/<name>, possibly nested) of a bundled file. */
export function packageDirOf(input) {
  const parts = input.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  const length = parts[at + 1]?.startsWith('@') ? 2 : 1;
  return parts.slice(0, at + 1 + length).join('/');
}

/**
 * Every package with a file in an output of the build (the metafile's outputs[].inputs, the paths
 * relative to the working directory), once per name and version, sorted.
 */
export function bundledPackages(metafile, cwd = process.cwd()) {
  const dirs = new Set();
  for (const output of Object.values(metafile.outputs)) {
    for (const input of Object.keys(output.inputs)) {
      const dir = packageDirOf(input);
      if (dir) dirs.add(dir);
    }
  }
  const byId = new Map();
  for (const dir of dirs) {
    const pkg = JSON.parse(readFileSync(join(cwd, dir, 'package.json'), 'utf8'));
    const id = `${pkg.name} ${pkg.version}`;
    if (byId.has(id)) continue;
    const files = licenseFiles(join(cwd, dir));
    byId.set(id, {
      name: pkg.name,
      version: pkg.version,
      license: licenseField(pkg),
      author: personField(pkg.author),
      repository: typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url,
      dir,
      files: files.length ? files : readmeLicenseSection(join(cwd, dir)),
    });
  }
  return [...byId.values()].sort((a, b) => (a.name === b.name ? compare(a.version, b.version) : compare(a.name, b.name)));
}

function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** package.json's `license`, or the old `licenses: [{ type }]` form. */
function licenseField(pkg) {
  if (typeof pkg.license === 'string') return pkg.license;
  if (pkg.license?.type) return pkg.license.type;
  if (Array.isArray(pkg.licenses)) return pkg.licenses.map((l) => l.type ?? l).join(' OR ');
  return undefined;
}

/** LICENSE, LICENCE, COPYING, NOTICE (any case, any extension such as .md or -MIT) at the package root. */
function licenseFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /^(licen[cs]e|copying|notice)([.-].*)?$/i.test(e.name))
    .map((e) => e.name)
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8').replace(/\r\n?/g, '\n').trimEnd() }));
}

/** `author` as a string or `{ name, email }`. */
function personField(p) {
  if (!p) return undefined;
  if (typeof p === 'string') return p;
  return [p.name, p.email && `<${p.email}>`].filter(Boolean).join(' ') || undefined;
}

/** For a package without a licence file: the "License" section of its README, if it has one. */
function readmeLicenseSection(dir) {
  const readme = readdirSync(dir)
    .filter((n) => /^readme(\..*)?$/i.test(n))
    .sort()[0];
  if (!readme) return [];
  const lines = readFileSync(join(dir, readme), 'utf8').replace(/\r\n?/g, '\n').split('\n');
  const setext = (i) => /^[=-]{3,}\s*$/.test(lines[i + 1] ?? '') && lines[i].trim() !== '';
  const heading = (i) => /^#{1,6}\s/.test(lines[i]) || setext(i);
  const start = lines.findIndex((l, i) => /^(#{1,6}\s*)?licen[cs]e\b/i.test(l) && heading(i));
  if (start < 0) return [];
  let end = start + (setext(start) ? 2 : 1);
  while (end < lines.length && !heading(end)) end++;
  const text = lines.slice(start, end).join('\n').trim();
  return [{ name: `${readme} (its License section)`, text }];
}

const RULE = '='.repeat(80);

/** The text of dist/licenses.txt: one section per package, headed `name version` and `license: X`. */
export function licensesText(packages) {
  const head = [
    'Third-party software bundled in dist/ by `npm run dist` (scripts/dist.mjs), with the licence and',
    'notice files each package ships. Generated: do not edit. diracos-actions itself is GPL-3.0-only (LICENSE).',
    '',
    `${packages.length} packages:`,
    ...packages.map((p) => `  ${p.name} ${p.version} (${p.license ?? 'no licence declared'})`),
  ];
  const sections = packages.map((p) => {
    const body = p.files.length
      ? p.files.flatMap((f) => [`--- ${f.name}`, '', f.text, ''])
      : [`(the package ships no licence text; its package.json ${p.license ? `declares ${p.license}` : 'declares no licence'})`, ''];
    const meta = [p.author && `author: ${p.author}`, p.repository && `repository: ${p.repository}`].filter(Boolean);
    return [RULE, `${p.name} ${p.version}`, `license: ${p.license ?? '(none declared)'}`, ...meta, RULE, '', ...body].join('\n');
  });
  return [head.join('\n'), '', ...sections].join('\n');
}
