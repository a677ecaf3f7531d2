import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // 2-core machines: run files in parallel processes but keep it modest.
    pool: 'forks',
    maxWorkers: 2,
  },
});
