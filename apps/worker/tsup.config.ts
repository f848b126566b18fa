import { defineConfig } from 'tsup';

/**
 * The deployable, built like apps/server: src/worker.ts and every @buybuy/*
 * workspace package (TypeScript source) in one ESM file; third-party
 * packages stay in node_modules, so this package's dependencies list them.
 */
export default defineConfig({
  entry: ['src/worker.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  clean: true,
  sourcemap: true,
  splitting: false,
  noExternal: [/^@buybuy\//],
});
