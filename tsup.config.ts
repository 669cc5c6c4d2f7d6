import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    spherescout: 'src/services/spherescout/index.ts',
    scamverify: 'src/services/scamverify/index.ts',
    openprospect: 'src/services/openprospect/index.ts',
    testing: 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // Shared code (Client, errors) lives in one chunk, so every entry uses the same classes.
  splitting: true,
  treeshake: true,
});
