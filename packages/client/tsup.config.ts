import { defineConfig } from 'tsup';

/**
 * The published SDK: ESM with declaration files, one per entry (`.`,
 * `./query`, `./rest`). The router's types come from src/router-types.ts
 * (generated), so the output names no @buybuy/* package; every dependency
 * stays an import, for the app's bundler to resolve once.
 */
export default defineConfig({
  entry: ['src/index.ts', 'src/query.ts', 'src/rest.ts'],
  format: ['esm'],
  // Browsers, Node 20+ and React Native: no Node built-in is imported (test/browser-bundle.test.ts).
  platform: 'neutral',
  target: 'es2022',
  outDir: 'dist',
  clean: true,
  sourcemap: true,
  // Declarations of the entries alone: the composite settings of tsconfig.json
  // (for `tsc -b`, which wants every file of the project listed) do not apply.
  dts: { compilerOptions: { composite: false } },
  splitting: true,
  treeshake: true,
});
