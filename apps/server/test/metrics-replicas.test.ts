import { Writable } from 'node:stream';

import { type Config, loadConfig } from '@buybuy/config';
import { createDatabase, type DatabaseHandle } from '@buybuy/db';
import { type ReplicatedMariaDb, startReplicatedMariaDb } from '@buybuy/db/testing-replication';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildApp } from '../src/app';

/**
 * The replica series the lag alert reads, from a real replica (GTID
 * replication between two MariaDB servers this file starts), read by the
 * app's own user as it would be in production.
 */
let cluster: ReplicatedMariaDb | undefined;
let name: string;
let app: FastifyInstance;
const cleanups: Array<() => Promise<unknown>> = [];

/** The app on the primary with one replica, its warnings collected in `warnings`. */
async function appWithReplica(replicaUrl: string, warnings: string[] = []) {
  const base = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn' });
  const config: Config = {
    ...base,
    database: { ...base.database, url: cluster!.primaryUrl(name) },
  };
  const database: DatabaseHandle = createDatabase(config.database.url, {
    poolSize: 2,
    replicaUrls: [replicaUrl],
  });
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        warnings.push(String((JSON.parse(line) as { msg: unknown }).msg));
      }
      done();
    },
  });
  const built = await buildApp({ config, db: database.db, logger: { stream } });
  cleanups.push(async () => {
    await built.close();
    await database.close();
  });
  return built;
}

beforeAll(async () => {
  cluster = await startReplicatedMariaDb({ timeoutMs: 120_000 });
  name = await cluster.createDatabase();
  // What docs/monitoring.md asks of production: the app's user may read the
  // replica's status. Granted on the primary, replicated with the user; a
  // global privilege reaches only connections made after it.
  await cluster.queryPrimary("GRANT REPLICA MONITOR ON *.* TO buybuy@'127.0.0.1'");
  await cluster.waitForReplica();
  app = await appWithReplica(cluster.replicaUrl(name));
}, 180_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await cluster?.stop();
}, 60_000);

async function replicaSeries(target = app): Promise<Record<string, number>> {
  const response = await target.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  const series: Record<string, number> = {};
  for (const match of response.body.matchAll(/^(buybuy_db_replica_\w+)\{pool="(\w+)"\} (\S+)$/gm)) {
    series[`${match[1]} ${match[2]}`] = Number(match[3]);
  }
  return series;
}

describe('read replicas in /metrics', () => {
  it('reports the lag while the replica replicates, and none once replication stops', async () => {
    expect(await replicaSeries()).toEqual({
      'buybuy_db_replica_replicating replica0': 1,
      'buybuy_db_replica_lag_seconds replica0': 0,
      'buybuy_db_replica_in_rotation replica0': 1,
    });
    // Pool metrics now cover the replica's pool too.
    const body = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(body).toMatch(/^buybuy_db_pool_connections\{pool="replica0",state="limit"\} 2$/m);

    await cluster!.pauseReplication();
    try {
      // The applier stopped: the server cannot tell the lag (NULL), and says so. It still
      // answers, so it stays in the rotation (lag is for the alerts, not for routing).
      expect(await replicaSeries()).toEqual({
        'buybuy_db_replica_replicating replica0': 0,
        'buybuy_db_replica_in_rotation replica0': 1,
      });
    } finally {
      await cluster!.resumeReplication();
    }
    expect(await replicaSeries()).toEqual({
      'buybuy_db_replica_replicating replica0': 1,
      'buybuy_db_replica_lag_seconds replica0': 0,
      'buybuy_db_replica_in_rotation replica0': 1,
    });
  });

  it('says a replica is not replicating, once in the log, while it cannot be asked', async () => {
    const warnings: string[] = [];
    const away = await appWithReplica(`mysql://buybuy@127.0.0.1:1/${name}`, warnings);
    const unreachable = {
      'buybuy_db_replica_replicating replica0': 0,
      // The scrape's readiness check found it away: its reads go to the primary.
      'buybuy_db_replica_in_rotation replica0': 0,
    };
    expect(await replicaSeries(away)).toEqual(unreachable);
    expect(await replicaSeries(away)).toEqual(unreachable);
    expect(
      warnings.filter((msg) => msg === 'replica status unavailable for /metrics'),
    ).toHaveLength(1);
  });
});
