import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/console-guard.ts'],
    testTimeout: 15_000,
    pool: 'threads',
  },
});
