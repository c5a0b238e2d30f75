// One ESM bundle per action plus the CLI, committed under dist/ (the runner executes dist/<name>/index.js).
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';

// --outdir lets the tests bundle elsewhere and compare with the committed dist/.
const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist' } } });

const actions = readdirSync('actions', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const entries = [...actions.map((name) => ({ name, entry: `src/actions/${name}.ts` })), { name: 'cli', entry: 'src/cli/main.ts' }];

// Every bundle that can be built is written even when another fails; the run still fails then.
const results = await Promise.allSettled(
  entries.map(({ name, entry }) =>
    build({
      entryPoints: [entry],
      outfile: `${values.outdir}/${name}/index.js`,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      legalComments: 'none',
      logLevel: 'warning',
      // Bundled CommonJS dependencies still call require(): give them one.
      banner: {
        js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
      },
    }),
  ),
);
const failed = entries.filter((_, i) => results[i].status === 'rejected').map((e) => e.name);
if (failed.length > 0) {
  console.error(`bundle: failed for ${failed.join(', ')}`);
  process.exitCode = 1;
}
