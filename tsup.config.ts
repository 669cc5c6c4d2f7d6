import { rmSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

const shared = {
  entry: {
    index: 'src/index.ts',
    spherescout: 'src/services/spherescout/index.ts',
    scamverify: 'src/services/scamverify/index.ts',
    openprospect: 'src/services/openprospect/index.ts',
    testing: 'src/testing/index.ts',
    redis: 'src/stores/redis.ts',
    browser: 'src/stores/browser.ts',
  },
  dts: true,
  // The two configs below build concurrently, so neither may clean: dist/ is emptied once, up front.
  clean: false,
  sourcemap: true,
  target: 'es2022',
  // Shared code (Client, errors) lives in one chunk, so every entry uses the same classes.
  splitting: true,
  treeshake: true,
} satisfies Options;

/**
 * ky, p-retry (and p-retry's is-network-error) are ESM-only. The ESM build imports them (one copy,
 * shared with the app). The CJS build bundles them instead of `require`-ing them: `require()` of an
 * ES module only works on Node >= 20.19 / >= 22.12 (require(esm)), and not at all in CJS-only
 * runtimes and tools (Jest's module system, older bundlers, Node 22.0-22.11). None of their types
 * appear in bearerkit's declarations, so nothing else changes for CJS users.
 */
const ESM_ONLY_DEPENDENCIES = [/^ky(\/|$)/, /^p-retry(\/|$)/, /^is-network-error(\/|$)/];

export default defineConfig((options) => {
  if (!options.watch) rmSync('dist', { recursive: true, force: true });
  return [
    { ...shared, format: ['esm'] },
    { ...shared, format: ['cjs'], noExternal: ESM_ONLY_DEPENDENCIES },
  ];
});
