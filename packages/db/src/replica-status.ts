import type { Pool } from 'mysql2/promise';

import type { Rows } from './rows';

/** What a read replica says about its replication, for monitoring. */
export interface ReplicaStatus {
  /** Both threads run: events arrive from the primary (IO) and are applied (SQL). */
  replicating: boolean;
  /**
   * How far the applied events trail the primary, in seconds
   * (Seconds_Behind_Master / _Source); null when the server cannot tell, as
   * when a thread is stopped.
   */
  lagSeconds: number | null;
}

/** One row of SHOW REPLICA STATUS: MariaDB keeps the old column names, MySQL 8.0.22+ the new. */
type StatusRow = Partial<
  Record<
    | 'Slave_IO_Running'
    | 'Slave_SQL_Running'
    | 'Seconds_Behind_Master'
    | 'Replica_IO_Running'
    | 'Replica_SQL_Running'
    | 'Seconds_Behind_Source',
    string | number | null
  >
>;

/**
 * The replica's own account of its replication (SHOW REPLICA STATUS, which
 * MariaDB 10.5+ and MySQL 8.0.22+ both accept). Undefined when the server is
 * not a replica. The user needs REPLICA MONITOR (MariaDB) or REPLICATION
 * CLIENT (MySQL); without it the query rejects, as does an unreachable server.
 */
export async function replicaStatus(pool: Pool): Promise<ReplicaStatus | undefined> {
  const [rows] = await pool.query<Rows<StatusRow>>('SHOW REPLICA STATUS');
  const row = rows[0];
  if (!row) return undefined;
  const io = row.Slave_IO_Running ?? row.Replica_IO_Running;
  const applier = row.Slave_SQL_Running ?? row.Replica_SQL_Running;
  const lag = row.Seconds_Behind_Master ?? row.Seconds_Behind_Source;
  return {
    replicating: io === 'Yes' && applier === 'Yes',
    lagSeconds: lag === null || lag === undefined ? null : Number(lag),
  };
}
