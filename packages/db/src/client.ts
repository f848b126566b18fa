import { drizzle, type MySql2Database } from 'drizzle-orm/mysql2';
import mysql from 'mysql2/promise';

import { instrumentPool } from './instrument';
import { registerReplicas } from './replicas';
import * as schema from './schema';
import { withoutSearchIndex } from './search-index';

export * from './instrument';
export {
  isoTimestamp,
  placeholders,
  placeholderValues,
  prepared,
  preparedRows,
  type Raw,
  type RowsStatement,
} from './prepared';
export { databasePools, replicaReader, replicaRotation, waitForReplicas } from './replicas';
export type { ReplicaChange, ReplicaRotation, ReplicaState } from './rotation';

export type Database = MySql2Database<typeof schema>;
/** What `db.transaction(async (tx) => ...)` hands its callback. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Either: what a statement that may run inside a transaction takes. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  /** The primary: every write, and every read that is not explicitly routed to a replica. */
  db: Database;
  pool: mysql.Pool;
  /** One pool per read replica, in DATABASE_REPLICA_URLS order (empty without replicas). */
  replicaPools: mysql.Pool[];
  close: () => Promise<void>;
}

export interface DatabaseOptions {
  poolSize?: number;
  /** Read replicas: public catalog reads go to them (see `replicaReader`). */
  replicaUrls?: string[];
  /** Longest a catalog write waits for the replicas to apply it (`waitForReplicas`); default 5 s. */
  replicaWaitMs?: number;
  /** Longest a read waits for a replica before trying elsewhere (rotation.ts); default 2 s. */
  replicaTimeoutMs?: number;
  /** How often a replica out of the rotation is asked whether it is back; default 1 s. */
  replicaProbeMs?: number;
  /** Longest opening a connection may take (mysql2 `connectTimeout`); default 5 s. */
  connectTimeoutMs?: number;
  /** False: searches stay on InnoDB FULLTEXT even where the Mroonga index exists (search-index.ts). */
  searchIndex?: boolean;
}

function openPool(url: string, poolSize: number, connectTimeoutMs: number): mysql.Pool {
  const pool = mysql.createPool({
    uri: url,
    connectionLimit: poolSize,
    // A server that accepts the TCP connection but never greets (a frozen or
    // black-holed host) fails the statement after this, rather than mysql2's 10 s.
    connectTimeout: connectTimeoutMs,
    timezone: 'Z',
    dateStrings: false,
    supportBigNumbers: true,
    decimalNumbers: false,
    enableKeepAlive: true,
    // No stack captured per statement (~4% of a list page's CPU): a failed
    // statement's error keeps its code, message and SQL, not the caller's frames.
    trace: false,
  });
  pool.on('connection', (connection) => {
    // The core (callback) connection: its query returns no promise to await.
    void connection.query("SET time_zone = '+00:00'");
  });
  return pool;
}

/**
 * Opens a connection pool to the primary and one per replica. Every
 * connection speaks UTC, so DATETIME columns round-trip as the instants they
 * were written as. A pool opens connections as statements need them, so
 * after the primary restarts the next statements simply connect again; while
 * it is away they fail at once (refused) or after `connectTimeoutMs`.
 */
export function createDatabase(url: string, options: DatabaseOptions = {}): DatabaseHandle {
  const poolSize = options.poolSize ?? 10;
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const pool = openPool(url, poolSize, connectTimeoutMs);
  const db = drizzle(instrumentPool(pool), { schema, mode: 'default' });
  const replicaPools = (options.replicaUrls ?? []).map((replica) =>
    instrumentPool(openPool(replica, poolSize, connectTimeoutMs)),
  );
  const rotation = registerReplicas(
    { db, pool },
    replicaPools,
    (client) => drizzle(client, { schema, mode: 'default' }),
    {
      waitMs: options.replicaWaitMs ?? 5_000,
      readTimeoutMs: options.replicaTimeoutMs ?? 2_000,
      probeIntervalMs: options.replicaProbeMs ?? 1_000,
    },
  );
  if (options.searchIndex === false) withoutSearchIndex(db);
  return {
    db,
    pool,
    replicaPools,
    close: async () => {
      rotation?.close();
      await Promise.all([pool, ...replicaPools].map((each) => each.end()));
    },
  };
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
