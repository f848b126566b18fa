import { withTimeout } from '@buybuy/api';
import {
  type ReplicaRotation,
  type ReplicaStatus,
  replicaStatus,
  type SearchEngine,
} from '@buybuy/db';
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
  /** The search engine searches go to, once there is one (SEARCH_ENGINE_URL; opened after the app). */
  searchEngine?: () => SearchEngine | undefined;
}

/**
 * The series the alerts on dependencies read: readiness and each
 * dependency's state, checked at scrape time (so they are current even where
 * no balancer probes /ready), Redis client errors as they happen, and each
 * replica's own account of its lag. Returns what stops the counting.
 */
export function observeDependencies(
  registry: Registry,
  { readiness, redis, replicas, rotation, searchEngine }: DependencyMetricsOptions,
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
    help: '1 when a dependency answers its readiness check (database, redis, search_engine), else 0; redis and search_engine are left out without them',
    labelNames: ['dependency'],
    registers: [registry],
    async collect() {
      const { database, redis: cache, search_engine: engine } = await readinessNow();
      this.set({ dependency: 'database' }, database === 'ok' ? 1 : 0);
      if (cache !== 'disabled') this.set({ dependency: 'redis' }, cache === 'ok' ? 1 : 0);
      if (engine) this.set({ dependency: 'search_engine' }, engine === 'down' ? 0 : 1);
    },
  });
  if (searchEngine) observeSearchEngine(registry, searchEngine, log);
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

/**
 * `buybuy_search_engine_in_use` (1 while searches go to the engine; 0 while
 * it fills, or after a failure, when they read from the database) and the
 * feed's queue in the database, shared by every instance:
 * `buybuy_search_queue_entries` and `buybuy_search_queue_oldest_seconds`.
 * Labelled with the engine's index, so that a server without an engine
 * exports none of them (prom-client gives an unlabelled gauge a 0 of its
 * own); the queue's are left out of a scrape when the database does not
 * answer in 2 s (`buybuy_ready` says so).
 */
function observeSearchEngine(
  registry: Registry,
  searchEngine: () => SearchEngine | undefined,
  log: FastifyBaseLogger,
) {
  new Gauge({
    name: 'buybuy_search_engine_in_use',
    help: '1 while searches go to the search engine, 0 while they read from the database (it fills, or failed in the last seconds)',
    labelNames: ['index'],
    registers: [registry],
    collect() {
      this.reset();
      const engine = searchEngine();
      if (engine) this.set({ index: engine.address.index }, engine.searchable() ? 1 : 0);
    },
  });
  let failing = false;
  const backlog = oncePerScrape(async () => {
    const engine = searchEngine();
    if (!engine) return undefined;
    try {
      const read = await withTimeout(engine.backlog(), STATUS_TIMEOUT_MS);
      failing = false;
      return { index: engine.address.index, ...read };
    } catch (error) {
      // Once per failing streak, as for the replicas.
      if (!failing) log.warn({ err: error }, 'search queue unreadable for /metrics');
      failing = true;
      return undefined;
    }
  });
  new Gauge({
    name: 'buybuy_search_queue_entries',
    help: 'Product writes queued for the search engine and not yet fed to it (one queue per database)',
    labelNames: ['index'],
    registers: [registry],
    async collect() {
      this.reset();
      const read = await backlog();
      if (read) this.set({ index: read.index }, read.entries);
    },
  });
  new Gauge({
    name: 'buybuy_search_queue_oldest_seconds',
    help: 'How long the oldest product write queued for the search engine has waited (0 when none)',
    labelNames: ['index'],
    registers: [registry],
    async collect() {
      this.reset();
      const read = await backlog();
      if (read) this.set({ index: read.index }, read.oldestSeconds);
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
