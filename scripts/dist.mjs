// Builds dist/: the four actions and the CLI in one esbuild run with code splitting, so the code they
// share (the core, @actions/*, their dependencies) is written once under dist/chunks/ instead of once
// per action. dist/<name>/index.js stays the file each action.yml runs; dist/cli/index.js is the CLI.
// Also writes dist/licenses.txt: the licence of every third-party package in the bundles.
// The output is deterministic: scripts/test.sh and CI bundle again and compare with the committed dist/.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { bundledPackages, licensesText } from './licenses.mjs';

// --outdir lets the tests bundle elsewhere and compare with the committed dist/; --metafile writes
// esbuild's metafile (what went into which file) there, outside dist/.
const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist' }, metafile: { type: 'string' } } });
const outdir = values.outdir;
// The folder is emptied first: never this checkout or a folder above it.
const fromOutdir = relative(resolve(outdir), process.cwd());
if (fromOutdir === '' || !fromOutdir.split(sep).includes('..')) {
  console.error(`dist: refusing to empty ${resolve(outdir)}: it holds the checkout`);
  process.exit(1);
}

const actions = readdirSync('actions', { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const entryPoints = Object.fromEntries([
  ...actions.map((name) => [`${name}/index`, `src/actions/${name}.ts`]),
  ['cli/index', 'src/cli/main.ts'],
]);

// A file of an older layout or a renamed chunk must not survive in dist/.
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

const result = await build({
  entryPoints,
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Shared code: chunks/<name>-<content hash>.js, the same name for the same content.
  chunkNames: 'chunks/[name]-[hash]',
  // Paths as the checkout sees them (node_modules/...), even when node_modules is a symlink (a git
  // worktree): the "// node_modules/x/y.js" comments and the chunk hashes do not depend on it.
  preserveSymlinks: true,
  // The notices are in dist/licenses.txt (written below), not scattered in the bundles.
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // Bundled CommonJS dependencies still call require(): give every file one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});

writeFileSync(join(outdir, 'licenses.txt'), licensesText(bundledPackages(result.metafile)));
if (values.metafile) writeFileSync(values.metafile, JSON.stringify(result.metafile, null, 1) + '\n');
