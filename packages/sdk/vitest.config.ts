/** Runs this package's tests with the workspace "source" condition applied to SSR resolution too. */
import { defineConfig } from 'vitest/config';

const conditions = ['source', 'module', 'node', 'import', 'default'];
export default defineConfig({
  root: new URL('../..', import.meta.url).pathname,
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
  test: { include: ['packages/sdk/src/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000, pool: 'forks' },
});
