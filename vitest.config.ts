import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vitest/config';

// @actions/workflow-parser imports its JSON schema without an import attribute, which Node 20 refuses:
// let vite transform it.
const INLINE = ['@actions/workflow-parser'];

/**
 * Vite reads the `sourceMappingURL` of every file it transforms, and the maps of the inlined packages
 * name sources they do not ship: one "Sourcemap for ... points to missing source files" line per file.
 * Their files are loaded without the map (stack traces point into their dist/ files instead).
 */
const inlinedWithoutSourcemaps: Plugin = {
  name: 'inlined-deps-without-sourcemaps',
  enforce: 'pre',
  load(id) {
    const file = id.split('?')[0]!;
    if (!file.endsWith('.js') || !INLINE.some((p) => file.includes(`/node_modules/${p}/`))) return null;
    return { code: readFileSync(file, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/gm, ''), map: null };
  },
};

export default defineConfig({
  plugins: [inlinedWithoutSourcemaps],
  test: {
    include: ['tests/**/*.test.ts'],
    // Container and rpmbuild tests are slow by nature; the machine has 2 cores.
    testTimeout: 20 * 60 * 1000,
    hookTimeout: 30 * 60 * 1000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ['default'],
    server: { deps: { inline: INLINE } },
  },
});
