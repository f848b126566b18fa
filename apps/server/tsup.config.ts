import { defineConfig } from 'tsup';

/**
 * The deployable: src/server.ts and every @buybuy/* workspace package (which
 * export TypeScript source) in one ESM file; third-party packages stay in
 * node_modules, so this package's dependencies list what they import.
 */
export default defineConfig({
  entry: ['src/server.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  clean: true,
  sourcemap: true,
  splitting: false,
  noExternal: [/^@buybuy\//],
});
