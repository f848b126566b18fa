import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { ConfigError, loadConfig, redactUrl } from '@buybuy/config';
import { isDatabaseUnreachable, migrateDatabase, unreachableDatabaseHelp } from '@buybuy/db';

/**
 * `node dist/migrate.js`: `pnpm db:migrate` for the built image, which has no
 * TypeScript runner (the Kubernetes migration Job, infra/k8s/base/migrate-job.yaml).
 * Bundled, @buybuy/db's own path to its migrations would point beside this
 * file; the package itself is installed beside the bundle (pnpm deploy), so
 * its migrations folder is found the way Node finds the package.
 */
const dbEntry = createRequire(import.meta.url).resolve('@buybuy/db');
const migrationsFolder = join(dirname(dbEntry), '..', 'migrations');

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let url = '';
try {
  url = loadConfig().database.url;
  await migrateDatabase(url, migrationsFolder);
  console.warn(`Database ${redactUrl(url)} is up to date.`);
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  if (isDatabaseUnreachable(error)) fail(unreachableDatabaseHelp(url));
  throw error;
}
