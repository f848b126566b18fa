import { withReplicas } from 'drizzle-orm/mysql-core';
import type { Pool } from 'mysql2/promise';

import type { Database } from './client';
import type { Rows } from './rows';

interface ReplicaSet {
  /** drizzle's withReplicas: selects to a random replica, everything else to the primary. */
  reader: Database;
  primary: Pool;
  replicas: Pool[];
  /** How long a write waits for the replicas to apply it (see waitForReplicas). */
  waitMs: number;
  flavor?: Promise<'mariadb' | 'mysql'>;
}

/** Replica sets by the primary handle they belong to. */
const sets = new WeakMap<Database, ReplicaSet>();

export function registerReplicas(
  primary: { db: Database; pool: Pool },
  replicas: Array<{ db: Database; pool: Pool }>,
  waitMs: number,
): void {
  const [first, ...rest] = replicas;
  if (!first) return;
  sets.set(primary.db, {
    reader: withReplicas(primary.db, [first.db, ...rest.map((replica) => replica.db)]),
    primary: primary.pool,
    replicas: replicas.map((replica) => replica.pool),
    waitMs,
  });
}

/**
 * Where reads that may lag a little go: drizzle's `withReplicas` over the
 * primary's replicas, or the primary itself when it has none. Opt-in by
 * design: a handle nobody asked about (auth, users, writes, a transaction)
 * always reads the primary, so it sees its own writes.
 */
export function replicaReader(db: Database): Database {
  return sets.get(db)?.reader ?? db;
}

/**
 * Waits until every replica has applied all the primary has committed so far
 * (GTID positions: MASTER_GTID_WAIT on MariaDB, WAIT_FOR_EXECUTED_GTID_SET on
 * MySQL 8), at most the configured wait. Catalog writes call it before they
 * return, so a replica read that starts after the write returned sees it; the
 * catalog cache's invalidation argument rests on that. Resolves false when a
 * replica did not catch up in time (or GTIDs are off): the caller goes on,
 * and that replica may serve the old value until it catches up.
 */
export async function waitForReplicas(db: Database): Promise<boolean> {
  const set = sets.get(db);
  if (!set) return true;
  set.flavor ??= set.primary
    .query('SELECT VERSION() AS version')
    .then(([rows]) =>
      /mariadb/i.test(String((rows as Array<{ version: string }>)[0]?.version))
        ? 'mariadb'
        : 'mysql',
    );
  const mariadb = (await set.flavor) === 'mariadb';
  const [[position]] = await set.primary.query<Rows<{ pos: string | null }>>(
    mariadb ? 'SELECT @@global.gtid_binlog_pos AS pos' : 'SELECT @@global.gtid_executed AS pos',
  );
  if (!position?.pos) return false;
  const seconds = set.waitMs / 1000;
  const results = await Promise.all(
    set.replicas.map(async (replica) => {
      const [[row]] = await replica.query<Rows<{ r: number | string | null }>>(
        mariadb
          ? 'SELECT MASTER_GTID_WAIT(?, ?) AS r'
          : 'SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?) AS r',
        [position.pos, seconds],
      );
      return Number(row?.r) === 0;
    }),
  );
  return results.every(Boolean);
}
