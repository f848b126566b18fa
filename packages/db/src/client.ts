import { drizzle, type MySql2Database } from 'drizzle-orm/mysql2';
import mysql from 'mysql2/promise';
import { instrumentPool } from './instrument';
import * as schema from './schema';

export * from './instrument';

export type Database = MySql2Database<typeof schema>;

export interface DatabaseHandle {
  db: Database;
  pool: mysql.Pool;
  close: () => Promise<void>;
}

/**
 * Opens a connection pool. Every connection speaks UTC, so DATETIME columns
 * round-trip as the instants they were written as.
 */
export function createDatabase(url: string, options: { poolSize?: number } = {}): DatabaseHandle {
  const pool = mysql.createPool({
    uri: url,
    connectionLimit: options.poolSize ?? 10,
    timezone: 'Z',
    dateStrings: false,
    supportBigNumbers: true,
    decimalNumbers: false,
    enableKeepAlive: true,
  });
  pool.on('connection', (connection) => {
    connection.query("SET time_zone = '+00:00'");
  });
  const db = drizzle(instrumentPool(pool), { schema, mode: 'default' });
  return { db, pool, close: () => pool.end() };
}

/** The database name in a mysql:// URL, and the same URL without it (for CREATE DATABASE). */
export function splitDatabaseUrl(url: string): { serverUrl: string; database: string } {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_$]+$/.test(database)) {
    throw new Error(
      `DATABASE_URL must name a database made of letters, digits and _ (got "${database}")`,
    );
  }
  parsed.pathname = '/';
  return { serverUrl: parsed.toString(), database };
}
