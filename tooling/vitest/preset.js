import { defineConfig } from 'vitest/config';

/**
 * The workspace's vitest preset. Tests talk to real MariaDB and Redis, so the
 * timeouts are generous; every test file makes its own database, so files run
 * in parallel. When VITEST_JSON_DIR is set (CI), each package also writes a
 * JSON report there, which `.ci/run` sums into its `N passed, N failed` line.
 *
 * @param {string} name the package's short name, used for the report file
 */
export function vitestPreset(name) {
  const jsonDir = process.env.VITEST_JSON_DIR;
  return defineConfig({
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      pool: 'forks',
      reporters: jsonDir ? ['default', 'json'] : ['default'],
      outputFile: jsonDir ? { json: `${jsonDir}/${name}.json` } : undefined,
    },
  });
}
