import { fileURLToPath } from 'node:url';

import { migrate } from 'drizzle-orm/mysql2/migrator';
import mysql from 'mysql2/promise';

import { createDatabase, splitDatabaseUrl } from './client';
import { ensureSearchIndex } from './search-index';

export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

/** Creates the database when it is missing. */
export async function ensureDatabase(url: string): Promise<void> {
  const { serverUrl, database } = splitDatabaseUrl(url);
  const connection = await mysql.createConnection({ uri: serverUrl });
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
}

export interface MigrateOptions {
  /**
   * Whether to make the Mroonga search index where the server has the engine
   * (search-index.ts); default true. False keeps searches on InnoDB FULLTEXT.
   */
  searchIndex?: boolean;
}

/**
 * Creates the database when missing and applies every pending drizzle-kit
 * migration. `folder`: where the migrations are when this code is bundled
 * away from this package (apps/server/src/migrate.ts).
 */
export async function migrateDatabase(
  url: string,
  folder = migrationsFolder,
  options: MigrateOptions = {},
): Promise<void> {
  await ensureDatabase(url);
  const handle = createDatabase(url, { poolSize: 1 });
  try {
    await migrate(handle.db, { migrationsFolder: folder });
    if (options.searchIndex ?? true) await ensureSearchIndex(handle.pool);
  } finally {
    await handle.close();
  }
}
