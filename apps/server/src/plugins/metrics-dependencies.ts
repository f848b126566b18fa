import { withTimeout } from '@buybuy/api';
import { type ReplicaRotation, type ReplicaStatus, replicaStatus } from '@buybuy/db';
import type { FastifyBaseLogger } from 'fastify';
import type { Cluster, Redis } from 'ioredis';
import type { Pool } from 'mysql2/promise';
import { Counter, Gauge, type Registry } from 'prom-client';

import type { Readiness } from './health';

/** A scrape never waits long for a dependency that does not answer. */
const STATUS_TIMEOUT_MS = 2_000;

export interface DependencyMetricsOptions {
  /** The same check /ready makes. */
  readiness: () => Promise<Readiness>;
  redis?: Redis | Cluster;
  /** Read replicas by their pool label (`replica0`, ...). */
  replicas: Array<{ name: string; pool: Pool }>;
  /** Which replicas take reads (none without replicas). */
  rotation?: ReplicaRotation;
}

/**
 * The series the alerts on dependencies read: readiness and each
 * dependency's state, checked at scrape time (so they are current even where
 * no balancer probes /ready), Redis client errors as they happen, and each
 * replica's own account of its lag. Returns what stops the counting.
 */
export function observeDependencies(
  registry: Registry,
  { readiness, redis, replicas, rotation }: DependencyMetricsOptions,
  log: FastifyBaseLogger,
): () => void {
  // Several gauges read one check: their collect() calls start together at each scrape.
  const readinessNow = oncePerScrape(readiness);
  new Gauge({
    name: 'buybuy_ready',
    help: '1 when /ready would answer 200 (the database answers), else 0',
    registers: [registry],
    async collect() {
      this.set((await readinessNow()).ready ? 1 : 0);
    },
  });
  new Gauge({
    name: 'buybuy_dependency_up',
    help: '1 when a dependency answers its readiness check (database, redis), else 0; redis is left out without Redis',
    labelNames: ['dependency'],
    registers: [registry],
    async collect() {
      const { database, redis: cache } = await readinessNow();
      this.set({ dependency: 'database' }, database === 'ok' ? 1 : 0);
      if (cache !== 'disabled') this.set({ dependency: 'redis' }, cache === 'ok' ? 1 : 0);
    },
  });
  if (replicas.length > 0) observeReplicas(registry, replicas, log);
  if (rotation) observeRotation(registry, rotation, readinessNow);
  return redis ? countRedisErrors(registry, redis) : () => undefined;
}

/**
 * `buybuy_redis_errors_total`: every error the client reports (a refused
 * connection, each failed reconnection, a reset). Commands refused while it
 * is away show as cache errors (`buybuy_cache_events_total{event="error"}`).
 */
function countRedisErrors(registry: Registry, redis: Redis | Cluster): () => void {
  const errors = new Counter({
    name: 'buybuy_redis_errors_total',
    help: 'Errors the Redis client reported (connection refused or lost, failed reconnections)',
    registers: [registry],
  });
  const count = () => errors.inc();
  redis.on('error', count);
  return () => void redis.off('error', count);
}

/**
 * `buybuy_db_replica_replicating{pool}` (1 while both replication threads
 * run; 0 when stopped, or when the replica cannot be asked, e.g. it is down
 * or the user lacks REPLICA MONITOR / REPLICATION CLIENT) and
 * `buybuy_db_replica_lag_seconds{pool}` (left out when the replica cannot tell).
 */
function observeReplicas(
  registry: Registry,
  replicas: Array<{ name: string; pool: Pool }>,
  log: FastifyBaseLogger,
) {
  const failing = new Set<string>();
  const statusOf = async ({ name, pool }: { name: string; pool: Pool }) => {
    try {
      const status = await withTimeout(replicaStatus(pool), STATUS_TIMEOUT_MS);
      if (failing.delete(name)) log.info({ pool: name }, 'replica status readable again');
      return { name, status };
    } catch (error) {
      // Once per failing streak: a scrape every 15 s would repeat it all day.
      if (!failing.has(name)) {
        failing.add(name);
        log.warn({ err: error, pool: name }, 'replica status unavailable for /metrics');
      }
      return { name, status: undefined };
    }
  };
  const statuses = oncePerScrape(() => Promise.all(replicas.map(statusOf)));
  const each = async (set: (name: string, status: ReplicaStatus | undefined) => void) => {
    for (const { name, status } of await statuses()) set(name, status);
  };
  new Gauge({
    name: 'buybuy_db_replica_replicating',
    help: '1 while a read replica replicates (IO and SQL threads running), 0 when stopped or unreadable',
    labelNames: ['pool'],
    registers: [registry],
    async collect() {
      await each((pool, status) => this.set({ pool }, status?.replicating ? 1 : 0));
    },
  });
  new Gauge({
    name: 'buybuy_db_replica_lag_seconds',
    help: 'How far a read replica trails the primary (Seconds_Behind_Master), when it can tell',
    labelNames: ['pool'],
    registers: [registry],
    async collect() {
      this.reset();
      await each((pool, status) => {
        if (typeof status?.lagSeconds === 'number') this.set({ pool }, status.lagSeconds);
      });
    },
  });
}

/**
 * `buybuy_db_replica_in_rotation{pool}`: 1 while a replica takes reads, 0
 * while its reads go elsewhere (it failed, and its probe has not found it
 * healthy yet), as the rotation stands once this scrape's readiness check
 * has asked every replica in it to answer.
 */
function observeRotation(
  registry: Registry,
  rotation: ReplicaRotation,
  readinessNow: () => Promise<Readiness>,
) {
  new Gauge({
    name: 'buybuy_db_replica_in_rotation',
    help: '1 while a read replica takes reads, 0 while it is out of the rotation (away, or not caught up since)',
    labelNames: ['pool'],
    registers: [registry],
    async collect() {
      // After this scrape's readiness check, which asks each replica in the rotation to answer.
      await readinessNow();
      for (const { name, up } of rotation.states()) this.set({ pool: name }, up ? 1 : 0);
    },
  });
}

/** Calls made while one is under way share its answer; the next call after it asks again. */
function oncePerScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= read().finally(() => {
      pending = undefined;
    }));
}
