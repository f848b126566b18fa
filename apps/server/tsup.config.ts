import { defineConfig } from 'tsup';

/**
 * The deployable: src/server.ts and every @buybuy/* workspace package (which
 * export TypeScript source) in one ESM file; third-party packages stay in
 * node_modules, so this package's dependencies list what they import.
 * Beside it, built the same way, the operator commands the image runs
 * without a TypeScript runner: dist/migrate.js (`pnpm db:migrate`),
 * dist/create-admin.js (`pnpm admin:create`) and dist/search-rebuild.js
 * (`pnpm --filter @buybuy/db search:rebuild`).
 */
export default defineConfig({
  entry: {
    server: 'src/server.ts',
    migrate: 'src/migrate.ts',
    'create-admin': '../../packages/api/src/cli/create-admin.ts',
    'search-rebuild': '../../packages/db/src/cli/search-rebuild.ts',
  },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  clean: true,
  sourcemap: true,
  splitting: false,
  noExternal: [/^@buybuy\//],
});
