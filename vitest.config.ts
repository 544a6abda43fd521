import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  // Tests run the workspace packages from source, so no build is needed between edits.
  resolve: {
    alias: [
      { find: /^@skein\/model$/, replacement: src('model') },
      { find: /^@skein\/server$/, replacement: src('server') },
      { find: /^@skein\/sdk$/, replacement: src('sdk') },
      { find: /^@skein\/cli$/, replacement: src('cli') },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
