import { defineConfig } from 'vitest/config';

/**
 * `npm run test:fleet`: the multi-process (real redis-server) and two-tab (Chromium) tests. Kept
 * out of `npm test` (their files end in .fleet.ts): they start processes and a browser.
 * One file at a time: both load the machine's two cores.
 */
export default defineConfig({
  test: {
    include: ['test/fleet/**/*.fleet.ts'],
    setupFiles: ['test/setup/console-guard.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
