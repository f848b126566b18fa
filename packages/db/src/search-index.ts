import { sql } from 'drizzle-orm';
import type mysql from 'mysql2/promise';

import type { Database } from './client';

/**
 * The product search index on MariaDB with Mroonga (docs/architecture.md,
 * "Search"): `product_search`, a Mroonga table holding what a search filters
 * and sorts by (name, description, price in cents, category, visibility,
 * creation time), kept by triggers on `products` as `product_counts` is.
 * Searches then run inside MariaDB as one Groonga `select` (`mroonga_command`):
 * match, filter, rank, count and cut the page in a few milliseconds where
 * InnoDB's FULLTEXT spends microseconds per match.
 *
 * Made only where the server has the Mroonga engine (Debian:
 * `mariadb-plugin-mroonga`); elsewhere (MySQL 8, managed databases) searches
 * keep the InnoDB FULLTEXT index of migration 0007. Not a drizzle migration,
 * since its SQL depends on the server.
 *
 * Mroonga does not take part in transactions: a product write rolled back
 * after its statement ran leaves its search row as the write made it. The
 * API puts such a row back from `products` when its transaction fails
 * (`syncSearchRow`), and a search page reads its products from `products`,
 * so a stale row never shows; `rebuildSearchIndex` rewrites the whole table
 * (`pnpm --filter @buybuy/db search:rebuild`).
 */
export const SEARCH_TABLE = 'product_search';

const COLUMNS =
  '`id`, `name`, `description`, `price_cents`, `category_id`, `is_active`, `created_at`';
const valuesOf = (row: 'NEW' | 'p') =>
  `${row}.\`id\`, ${row}.\`name\`, ${row}.\`description\`, ROUND(${row}.\`price\` * 100), ` +
  `${row}.\`category_id\`, ${row}.\`is_active\`, ${row}.\`created_at\``;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS \`${SEARCH_TABLE}\` (
  \`id\` BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  \`name\` VARCHAR(255) NOT NULL,
  \`description\` TEXT,
  \`price_cents\` BIGINT NOT NULL,
  \`category_id\` BIGINT UNSIGNED NOT NULL,
  \`is_active\` TINYINT NOT NULL,
  \`created_at\` DATETIME(3) NOT NULL,
  FULLTEXT KEY \`product_search_text\` (\`name\`, \`description\`),
  KEY \`product_search_category\` (\`category_id\`)
) ENGINE=Mroonga DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`;

const TRIGGERS = [
  `CREATE TRIGGER IF NOT EXISTS \`products_search_insert\` AFTER INSERT ON \`products\` FOR EACH ROW
REPLACE INTO \`${SEARCH_TABLE}\` (${COLUMNS}) VALUES (${valuesOf('NEW')})`,
  // Stock moves (every sale) leave the search row alone: only what a search reads rewrites it.
  `CREATE TRIGGER IF NOT EXISTS \`products_search_update\` AFTER UPDATE ON \`products\` FOR EACH ROW
IF NOT (BINARY NEW.\`name\` <=> BINARY OLD.\`name\`
  AND BINARY NEW.\`description\` <=> BINARY OLD.\`description\`
  AND NEW.\`price\` <=> OLD.\`price\` AND NEW.\`category_id\` <=> OLD.\`category_id\`
  AND NEW.\`is_active\` <=> OLD.\`is_active\` AND NEW.\`created_at\` <=> OLD.\`created_at\`) THEN
  REPLACE INTO \`${SEARCH_TABLE}\` (${COLUMNS}) VALUES (${valuesOf('NEW')});
END IF`,
  `CREATE TRIGGER IF NOT EXISTS \`products_search_delete\` AFTER DELETE ON \`products\` FOR EACH ROW
DELETE FROM \`${SEARCH_TABLE}\` WHERE \`id\` = OLD.\`id\``,
];

type Queryable = Pick<mysql.Connection, 'query'>;

/** Whether the server can hold the index: the Mroonga engine is installed and enabled. */
export async function hasMroonga(connection: Queryable): Promise<boolean> {
  const [rows] = await connection.query(
    "SELECT 1 FROM information_schema.ENGINES WHERE ENGINE = 'Mroonga' AND SUPPORT IN ('YES', 'DEFAULT')",
  );
  return (rows as unknown[]).length > 0;
}

/**
 * Makes the index when the server has Mroonga (table, then triggers, then
 * the rows, so a product written meanwhile is not missed), and fills an
 * empty one. Returns whether the database has it.
 */
export async function ensureSearchIndex(connection: Queryable): Promise<boolean> {
  if (!(await hasMroonga(connection))) return false;
  await connection.query(CREATE_TABLE);
  for (const trigger of TRIGGERS) await connection.query(trigger);
  const [rows] = await connection.query(`SELECT COUNT(*) AS n FROM \`${SEARCH_TABLE}\``);
  if (Number((rows as Array<{ n: number }>)[0]!.n) === 0) await rebuildSearchIndex(connection);
  return true;
}

/** Rewrites every search row from `products`, and drops rows of products that are gone. */
export async function rebuildSearchIndex(connection: Queryable): Promise<void> {
  await connection.query(
    `REPLACE INTO \`${SEARCH_TABLE}\` (${COLUMNS}) SELECT ${valuesOf('p')} FROM \`products\` p`,
  );
  await connection.query(
    `DELETE s FROM \`${SEARCH_TABLE}\` s LEFT JOIN \`products\` p ON p.\`id\` = s.\`id\` WHERE p.\`id\` IS NULL`,
  );
}

/** Whether this database's searches go through the index: asked once per handle (the primary). */
const present = new WeakMap<Database, Promise<boolean>>();

/** A handle whose searches stay in SQL whatever the database has (`SEARCH_INDEX=false`). */
export const withoutSearchIndex = (db: Database) => present.set(db, Promise.resolve(false));

export function hasSearchIndex(db: Database): Promise<boolean> {
  let known = present.get(db);
  if (!known) {
    known = db
      .execute(
        sql`SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ${SEARCH_TABLE} AND ENGINE = 'Mroonga'`,
      )
      .then(([rows]) => (rows as unknown as unknown[]).length > 0);
    // A failed lookup (the database away) is asked again next time.
    known.catch(() => present.delete(db));
    present.set(db, known);
  }
  return known;
}

/**
 * Puts the search rows of these products back as `products` holds them
 * (committed), where the database has the index: after a transaction that
 * wrote them failed, since Mroonga kept what its statements wrote.
 */
export async function syncSearchRows(db: Database, ids: number[]): Promise<void> {
  if (ids.length === 0 || !(await hasSearchIndex(db))) return;
  const list = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  await db.execute(sql`DELETE FROM ${sql.identifier(SEARCH_TABLE)} WHERE \`id\` IN (${list})`);
  await db.execute(
    sql`INSERT INTO ${sql.identifier(SEARCH_TABLE)} (${sql.raw(COLUMNS)}) SELECT ${sql.raw(valuesOf('p'))} FROM \`products\` p WHERE p.\`id\` IN (${list})`,
  );
}
