import { randomBytes } from 'node:crypto';

import mysql from 'mysql2/promise';

import { createDatabase, type DatabaseHandle, splitDatabaseUrl } from './client';
import { migrateDatabase, type MigrateOptions } from './migrate';
import type { Rows } from './rows';

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
export async function createTestDatabase(options: MigrateOptions = {}): Promise<TestDatabase> {
  const name = `buybuy_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const base = new URL(serverUrl());
  base.pathname = `/${name}`;
  const url = base.toString();
  await migrateDatabase(url, undefined, options);
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

export interface CountDrift {
  category_id: number;
  is_active: number;
  in_stock: number;
  /** What `product_counts` says. */
  counter: number;
  /** What COUNT(*) over products says. */
  actual: number;
}

/**
 * Every bucket whose `product_counts.n` differs from a COUNT(*) of its
 * products: empty when the counters are exact. A bucket with no products may
 * keep a row, but only with n = 0.
 */
export async function productCountDrift(pool: mysql.Pool): Promise<CountDrift[]> {
  type Bucket = { category_id: number; is_active: number; in_stock: number; n: number };
  const [counters] = await pool.query<Rows<Bucket>>(
    'SELECT category_id, is_active, in_stock, n FROM product_counts',
  );
  const [actuals] = await pool.query<Rows<Bucket>>(
    `SELECT category_id, is_active, stock_quantity > 0 AS in_stock, COUNT(*) AS n
       FROM products GROUP BY category_id, is_active, stock_quantity > 0`,
  );
  const key = (row: { category_id: number; is_active: number; in_stock: number }) =>
    `${Number(row.category_id)}:${Number(row.is_active)}:${Number(row.in_stock)}`;
  const buckets = new Map<string, CountDrift>();
  const bucket = (row: { category_id: number; is_active: number; in_stock: number }) => {
    const found = buckets.get(key(row));
    if (found) return found;
    const created = {
      category_id: Number(row.category_id),
      is_active: Number(row.is_active),
      in_stock: Number(row.in_stock),
      counter: 0,
      actual: 0,
    };
    buckets.set(key(row), created);
    return created;
  };
  for (const row of counters) bucket(row).counter = Number(row.n);
  for (const row of actuals) bucket(row).actual = Number(row.n);
  return [...buckets.values()].filter((b) => b.counter !== b.actual);
}

export { freePort } from './testing-port';
export { startTcpProxy, type TcpProxy } from './testing-proxy';
export { startTestSearchd, type TestSearchd } from './testing-search-engine';
