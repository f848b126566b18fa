import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import mysql from 'mysql2/promise';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import tsupConfig from '../tsup.config';

/**
 * The image has no TypeScript runner: its migration Job runs dist/migrate.js
 * and an operator makes the first admin with dist/create-admin.js. Both are
 * built here as `pnpm build` builds them (into a folder of this test's own,
 * under node_modules/.cache so they find the package's dependencies as dist/
 * does) and run as processes against a database that does not exist yet.
 */
const serverDir = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(serverDir, 'node_modules', '.cache', `operator-commands-test-${process.pid}`);
const serverUrl = process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/';
const database = `buybuy_test_${process.pid}_${randomBytes(4).toString('hex')}`;
const databaseUrl = new URL(database, serverUrl).toString();

interface Run {
  code: number;
  output: string;
}

async function run(
  script: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join(outDir, script), ...args],
      {
        cwd: serverDir,
        env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, BCRYPT_COST: '4', ...env },
      },
    );
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

async function query<T>(sql: string, values: unknown[] = []): Promise<T[]> {
  const connection = await mysql.createConnection({ uri: databaseUrl });
  try {
    const [rows] = await connection.query(sql, values);
    return rows as T[];
  } finally {
    await connection.end();
  }
}

beforeAll(async () => {
  const options = Array.isArray(tsupConfig) ? tsupConfig[0] : tsupConfig;
  if (typeof options !== 'object') throw new Error('tsup.config.ts should export one object');
  await build({ ...options, outDir, silent: true, sourcemap: false });
}, 120_000);
afterAll(async () => {
  const connection = await mysql.createConnection({ uri: serverUrl });
  await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await connection.end();
  await rm(outDir, { recursive: true, force: true });
});

describe('the built operator commands', () => {
  it('migrate.js creates the database, applies every migration, and is a no-op the second time', async () => {
    const first = await run('migrate.js');
    expect(first).toMatchObject({ code: 0 });
    expect(first.output).toContain('is up to date');
    const tables = await query<{ name: string }>(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ?',
      [database],
    );
    // product_search: the Mroonga search index, made where the server has the engine (CI's has).
    expect(tables.map((table) => table.name)).toEqual(
      expect.arrayContaining(['users', 'products', 'orders', 'product_search']),
    );
    const [applied] = await query<{ count: number }>(
      'SELECT COUNT(*) AS count FROM __drizzle_migrations',
    );

    expect(await run('migrate.js')).toMatchObject({ code: 0 });
    expect(await query('SELECT COUNT(*) AS count FROM __drizzle_migrations')).toEqual([applied]);
  });

  it('create-admin.js makes a staff user in the migrated database', async () => {
    const result = await run('create-admin.js', [
      '--email',
      'owner@example.com',
      '--username',
      'owner',
      '--password',
      'a-long-enough-password-1',
    ]);
    expect(result).toMatchObject({ code: 0 });
    expect(result.output).toContain('Created admin owner@example.com');
    const users = await query<{ username: string; is_staff: number }>(
      'SELECT username, is_staff FROM users WHERE email = ?',
      ['owner@example.com'],
    );
    expect(users).toEqual([{ username: 'owner', is_staff: 1 }]);
  });

  it('search-rebuild.js puts back the search rows a product write lost, and drops those of products gone', async () => {
    await query("INSERT INTO categories (name, slug) VALUES ('Lamps', 'lamps')");
    await query(
      "INSERT INTO products (name, description, price, category_id) SELECT 'Brass desk lamp', 'Warm light', 49.5, id FROM categories WHERE slug = 'lamps'",
    );
    const [product] = await query<{ id: number }>(
      "SELECT id FROM products WHERE name = 'Brass desk lamp'",
    );
    const id = product!.id;
    // What a crash between a product write and its trigger's row would leave: one row
    // missing, one row for a product that no longer exists.
    await query('DELETE FROM product_search WHERE id = ?', [id]);
    await query(
      "INSERT INTO product_search (id, name, description, price_cents, category_id, is_active, created_at) VALUES (?, 'Gone', '', 100, 1, 1, NOW())",
      [id + 1000],
    );

    const result = await run('search-rebuild.js');
    expect(result).toMatchObject({ code: 0 });
    expect(result.output).toContain('product_search rebuilt from products');
    expect(await query('SELECT id, name, price_cents FROM product_search ORDER BY id')).toEqual([
      { id, name: 'Brass desk lamp', price_cents: 4950 },
    ]);
  });

  it('migrate.js refuses a production environment without its secrets, in words', async () => {
    const result = await run('migrate.js', [], { NODE_ENV: 'production' });
    expect(result.code).toBe(1);
    expect(result.output).toContain('Refusing to start in production');
    expect(result.output).not.toMatch(/\n\s+at /); // no stack trace
  });
});
