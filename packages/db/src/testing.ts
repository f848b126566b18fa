import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { createDatabase, splitDatabaseUrl, type DatabaseHandle } from './client';
import { migrateDatabase } from './migrate';

export interface TestDatabase extends DatabaseHandle {
  url: string;
  name: string;
  /** Closes the pool and drops the database. */
  drop: () => Promise<void>;
}

const serverUrl = () => process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/';

/**
 * A fresh, migrated database of its own for one test file, so files run in
 * parallel and never see each other's rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `buybuy_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const base = new URL(serverUrl());
  base.pathname = `/${name}`;
  const url = base.toString();
  await migrateDatabase(url);
  const handle = createDatabase(url, { poolSize: 5 });
  return {
    ...handle,
    url,
    name,
    drop: async () => {
      await handle.close();
      await dropDatabase(url);
    },
  };
}

async function dropDatabase(url: string): Promise<void> {
  const { serverUrl: server, database } = splitDatabaseUrl(url);
  const connection = await mysql.createConnection({ uri: server });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await connection.end();
  }
}
