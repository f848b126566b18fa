import { withReplicas } from 'drizzle-orm/mysql-core';
import type { Pool } from 'mysql2/promise';

import type { Database } from './client';
import { answers, isAway, ReplicaRotation, type RotationOptions, within } from './rotation';
import type { Rows } from './rows';

interface ReplicaSet {
  /** drizzle's withReplicas: selects to a random replica, everything else to the primary. */
  reader: Database;
  primary: Pool;
  /** Every replica's pool, in DATABASE_REPLICA_URLS order, in the rotation or not. */
  replicas: Pool[];
  rotation: ReplicaRotation;
  /** How long a write waits for the replicas to apply it (see waitForReplicas). */
  waitMs: number;
  /** Longest a replica is waited for beyond that before it counts as away. */
  readTimeoutMs: number;
  flavor?: Promise<'mariadb' | 'mysql'>;
}

/** Replica sets by the primary handle they belong to. */
const sets = new WeakMap<Database, ReplicaSet>();

export interface ReplicaOptions extends RotationOptions {
  /** How long a write waits for the replicas to apply it (see waitForReplicas). */
  waitMs: number;
}

/**
 * Routes `primary`'s replica reads over `replicas`: `handle(client)` makes a
 * replica's drizzle handle on the client the rotation gives it. Returns the
 * rotation (undefined without replicas), for the handle's close.
 */
export function registerReplicas(
  primary: { db: Database; pool: Pool },
  replicas: Pool[],
  handle: (client: Pool) => Database,
  options: ReplicaOptions,
): ReplicaRotation | undefined {
  if (replicas.length === 0) return undefined;
  // The rotation's probe reads the set's primary position, so the set comes first.
  const set = { primary: primary.pool, replicas, waitMs: options.waitMs } as ReplicaSet;
  const rotation = (set.rotation = new ReplicaRotation(primary.pool, replicas, options, (replica) =>
    caughtUp(set, replica, options.readTimeoutMs),
  ));
  const [first, ...rest] = replicas.map((_, i) => handle(rotation.client(i)));
  set.reader = withReplicas(primary.db, [first!, ...rest]);
  set.readTimeoutMs = options.readTimeoutMs;
  sets.set(primary.db, set);
  return rotation;
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

/** Which replicas take reads, and their changes (undefined without replicas): /ready and logs. */
export function replicaRotation(db: Database): ReplicaRotation | undefined {
  return sets.get(db)?.rotation;
}

/**
 * The pools behind a handle: the primary's and each replica's (named as
 * /metrics labels them), whether the replica is in the rotation or not.
 */
export function databasePools(db: Database): Array<{ name: string; pool: Pool }> {
  const set = sets.get(db);
  const primary = set?.primary ?? (db as { $client?: Pool }).$client;
  return [
    ...(primary ? [{ name: 'primary', pool: primary }] : []),
    ...(set?.replicas ?? []).map((pool, i) => ({ name: `replica${i}`, pool })),
  ];
}

const flavorOf = (set: ReplicaSet) =>
  (set.flavor ??= set.primary
    .query('SELECT VERSION() AS version')
    .then(([rows]) =>
      /mariadb/i.test(String((rows as Array<{ version: string }>)[0]?.version))
        ? 'mariadb'
        : 'mysql',
    ));

/** The primary's GTID position (everything committed so far), or null when GTIDs are off. */
async function primaryPosition(set: ReplicaSet): Promise<string | null> {
  const mariadb = (await flavorOf(set)) === 'mariadb';
  const [[position]] = await set.primary.query<Rows<{ pos: string | null }>>(
    mariadb ? 'SELECT @@global.gtid_binlog_pos AS pos' : 'SELECT @@global.gtid_executed AS pos',
  );
  return position?.pos || null;
}

/** True once `replica` has applied `position`, waiting at most `seconds`. */
async function applied(set: ReplicaSet, replica: Pool, position: string, seconds: number) {
  const [[row]] = await replica.query<Rows<{ r: number | string | null }>>(
    (await flavorOf(set)) === 'mariadb'
      ? 'SELECT MASTER_GTID_WAIT(?, ?) AS r'
      : 'SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?) AS r',
    [position, seconds],
  );
  return Number(row?.r) === 0;
}

/**
 * A replica is healthy again when it answers and has applied what the primary
 * had committed when asked (so writes made while it was away are there
 * before it serves reads); only that it answers, when the primary cannot say.
 */
async function caughtUp(set: ReplicaSet, replica: Pool, timeoutMs: number): Promise<boolean> {
  const position = await primaryPosition(set).catch(() => undefined);
  if (position === undefined || position === null) return answers(replica);
  return applied(set, replica, position, timeoutMs / 2000);
}

/**
 * Waits until every replica in the rotation has applied all the primary has
 * committed so far (GTID positions: MASTER_GTID_WAIT on MariaDB,
 * WAIT_FOR_EXECUTED_GTID_SET on MySQL 8), at most the configured wait.
 * Catalog writes call it before they return, so a replica read that starts
 * after the write returned sees it; the catalog cache's invalidation argument
 * rests on that. Resolves false when a replica did not catch up in time (or
 * GTIDs are off): the caller goes on, and that replica may serve the old value
 * until it catches up. A replica that is away is taken out of the rotation
 * instead of failing the write, and rejoins only once it has caught up.
 */
export async function waitForReplicas(db: Database): Promise<boolean> {
  const set = sets.get(db);
  if (!set) return true;
  const position = await primaryPosition(set);
  if (!position) return false;
  const results = await Promise.all(
    set.rotation.pools().map((replica) =>
      within(
        applied(set, replica, position, set.waitMs / 1000),
        set.waitMs + set.readTimeoutMs,
        'waiting for a replica',
      ).catch((error: unknown) => {
        if (!isAway(error)) throw error;
        set.rotation.reportAway(replica, error);
        return false;
      }),
    ),
  );
  return results.every(Boolean);
}
