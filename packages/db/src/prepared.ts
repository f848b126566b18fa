import { fillPlaceholders, is, type Logger, sql } from 'drizzle-orm';
import { MySqlTransaction } from 'drizzle-orm/mysql-core';
import type { Pool, RowDataPacket } from 'mysql2/promise';

import type { Database, Executor } from './client';

/** Beyond this many shapes on one handle, its statements are rebuilt from scratch. */
const MAX_SHAPES = 1000;

/**
 * Statements drizzle builds once per shape and then only executes. Building a
 * list page's SQL (query builders, an `is()` check on every chunk) costs the
 * API more CPU than mysql2 spends sending and reading it; a prepared query
 * keeps the SQL text and only fills in its placeholders.
 *
 * `prepared(build, keyOf)` returns `(db, shape) => statement`. A shape names
 * what the SQL text depends on (the filters present, the sort, how many ids
 * an IN list takes), never the values, which go in placeholders. A handle made
 * by `withReplicas` gets its statements per replica and picks one at random
 * per call, as `withReplicas` does for a select.
 *
 * Inside a transaction, pass the transaction: the statement is built on it
 * and runs on its connection. A transaction object lives for one transaction,
 * but its connection comes from the pool and outlives it, so statements are
 * kept per connection and serve every later transaction on that connection
 * (which is then the only user of the connection: no two share it at once).
 *
 * An insert or update built once also keeps what drizzle computes while
 * building: a column's `$defaultFn` and `$onUpdateFn` (created_at,
 * updated_at) would be the time of the first call, forever. Give such
 * columns a placeholder and the time with each call.
 */
export function prepared<Shape, Statement, Handle extends Executor = Database>(
  build: (db: Handle, shape: Shape) => Statement,
  keyOf: (shape: Shape) => string,
): (db: Handle, shape: Shape) => Statement {
  const byOwner = new WeakMap<object, Map<string, Statement>>();
  return (db, shape) => {
    const target = pickReplica(db);
    const owner = connectionOf(target) ?? target;
    let statements = byOwner.get(owner);
    if (!statements || statements.size >= MAX_SHAPES) byOwner.set(owner, (statements = new Map()));
    const key = keyOf(shape);
    let statement = statements.get(key);
    if (statement === undefined) statements.set(key, (statement = build(target, shape)));
    return statement;
  };
}

/**
 * A row as mysql2 reads it without drizzle's mapping: `DATETIME` as its
 * text (`2026-11-29 18:30:00.125`, UTC; `isoTimestamp` makes it the wire's),
 * `BOOLEAN` (`TINYINT(1)`) as 0 or 1; numbers, strings and `DECIMAL` (a
 * string) as drizzle gives them.
 */
export type Raw<Row> = { [K in keyof Row]: RawValue<Row[K]> };
type RawValue<V> = V extends Date ? string : V extends boolean ? 0 | 1 : V;

/** A `DATETIME(3)` read as text (UTC), as ISO-8601: what `Date.toISOString()` gives. */
export const isoTimestamp = (text: string) => `${text.slice(0, 10)}T${text.slice(11)}Z`;

/** What drizzle's mysql2 session holds: the client its statements run on, and the handle's logger. */
interface DrizzleSession {
  client: Pool;
  logger: Logger;
}

/** What `preparedRows` builds on: a drizzle select (or union), not prepared. */
interface Buildable {
  toSQL(): { sql: string; params: unknown[] };
  execute(): Promise<unknown[]>;
}

/** A statement of `preparedRows`. */
export interface RowsStatement<Row> {
  execute(values?: Record<string, unknown>): Promise<Array<Raw<Row>>>;
}

/** The row type drizzle would give the query's results. */
type RowOf<Query extends Buildable> = Awaited<ReturnType<Query['execute']>>[number];

/**
 * `prepared` for the hottest reads (a catalog page): the select is built once
 * per shape by drizzle, then run by mysql2 alone, each row a plain object
 * keyed by the selected columns' names, typed `Raw<Row>`. Drizzle's mapping
 * is left out: it visits every cell (a function call and an `is()` check
 * each, through mysql2's per-cell `typeCast` hook) and turns each `DATETIME`
 * into a `Date` the answer then turns back into text, which cost a page of
 * products more CPU than mysql2's own reading. The caller maps each row
 * straight to its output. Not for transactions (a `Database` only).
 */
export function preparedRows<Shape, Query extends Buildable>(
  build: (db: Database, shape: Shape) => Query,
  keyOf: (shape: Shape) => string,
): (db: Database, shape: Shape) => RowsStatement<RowOf<Query>> {
  return prepared((db: Database, shape: Shape) => {
    const { sql: text, params } = build(db, shape).toSQL();
    // The handle's pool (or its replica's routed client) and logger, as drizzle's own statements use them.
    const { client, logger } = (db as unknown as { session: DrizzleSession }).session;
    const query = { sql: text, dateStrings: true };
    return {
      execute: async (values: Record<string, unknown> = {}) => {
        const filled = fillPlaceholders(params, values);
        logger.logQuery(text, filled);
        return (await client.query<RowDataPacket[]>(query, filled))[0];
      },
    } as RowsStatement<RowOf<Query>>;
  }, keyOf);
}

function pickReplica<Handle extends Executor>(db: Handle): Handle {
  const replicas = (db as { $replicas?: Handle[] }).$replicas;
  return replicas?.length ? replicas[Math.floor(Math.random() * replicas.length)]! : db;
}

/** A transaction's pooled connection (drizzle keeps it on the transaction's session). */
function connectionOf(db: Executor): object | undefined {
  if (!is(db, MySqlTransaction)) return undefined;
  const connection = (db as unknown as { session: { client?: object } }).session.client;
  if (!connection)
    throw new Error('A transaction without a connection: drizzle changed its session');
  return connection;
}

/** `n` placeholders named `${prefix}0`, `${prefix}1`, ...: an IN list of n values. */
export const placeholders = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => sql.placeholder(`${prefix}${i}`));

/** The values for `placeholders(prefix, values.length)`. */
export const placeholderValues = (prefix: string, values: readonly unknown[]) =>
  Object.fromEntries(values.map((value, i) => [`${prefix}${i}`, value]));
