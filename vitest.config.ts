import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Container and rpmbuild tests are slow by nature; the machine has 2 cores.
    testTimeout: 20 * 60 * 1000,
    hookTimeout: 30 * 60 * 1000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ['default'],
    // @actions/workflow-parser imports its JSON schema without an import attribute, which Node 20 refuses:
    // let vite transform it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
