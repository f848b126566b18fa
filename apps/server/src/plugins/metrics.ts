import { createHash, timingSafeEqual } from 'node:crypto';

import type { OperationTable } from '@buybuy/api';
import type { Config } from '@buybuy/config';
import {
  type Database,
  databasePools,
  onQuery,
  poolStats,
  replicaRotation,
  searchEngineOf,
  sqlShape,
} from '@buybuy/db';
import type { JobQueue } from '@buybuy/jobs';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Cluster, Redis } from 'ioredis';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import { noteRoute } from '../logging';
import { failure } from './envelope';
import type { Readiness } from './health';
import { observeDependencies } from './metrics-dependencies';

export type Face = 'trpc' | 'rest' | 'other';

/** Seconds: from a cached page (~1 ms) to a request stuck behind a full pool. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const DB_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

export interface Metrics {
  registry: Registry;
  /** For createApi's `onRateLimited`. */
  rateLimited: (bucket: string) => void;
  /** For createApi's `onCacheEvent`. */
  cacheEvent: (event: 'hit' | 'miss' | 'error', name: string) => void;
}

/**
 * The process's Prometheus series, in a registry of its own (so several apps
 * in one process, as in tests, never share counters). Made before the API so
 * its callbacks can be handed to createApi.
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'buybuy_' });
  const rateLimited = new Counter({
    name: 'buybuy_rate_limit_rejections_total',
    help: 'Calls refused by a rate limit, by budget',
    labelNames: ['bucket'],
    registers: [registry],
  });
  const cache = new Counter({
    name: 'buybuy_cache_events_total',
    help: 'Catalog cache lookups (hit, miss) and failures (error), by cached read',
    labelNames: ['event', 'cache'],
    registers: [registry],
  });
  return {
    registry,
    rateLimited: (bucket) => rateLimited.inc({ bucket }),
    cacheEvent: (event, name) => cache.inc({ event, cache: name }),
  };
}

export interface MetricsPluginOptions {
  config: Config;
  db: Database;
  metrics: Metrics;
  /** REST paths are labelled by their operation's path; tRPC names it lacks, `unknown`. */
  operations: OperationTable;
  /** Its jobs by state, read at each scrape. */
  jobs?: JobQueue;
  /** The check /ready makes, read at each scrape (buybuy_ready, buybuy_dependency_up). */
  readiness: () => Promise<Readiness>;
  /** Its errors are counted (buybuy_redis_errors_total). */
  redis?: Redis | Cluster;
}

/**
 * Request rate and latency by face and route pattern (never a raw URL),
 * database statement time and pool occupancy, and `GET /metrics`. Slow
 * statements are logged by shape, never with their values. Registered at
 * the root (fastify-plugin) so its hook sees every route.
 */
async function registerMetrics(
  app: FastifyInstance,
  { config, db, metrics, operations, jobs, readiness, redis }: MetricsPluginOptions,
) {
  const { registry } = metrics;
  if (jobs) observeJobs(jobs, registry, app.log);
  const replicas = databasePools(db).filter(({ name }) => name !== 'primary');
  const stopCountingRedis = observeDependencies(
    registry,
    {
      readiness,
      redis,
      replicas,
      rotation: replicaRotation(db),
      searchEngine: () => searchEngineOf(db),
    },
    app.log,
  );
  app.addHook('onClose', async () => stopCountingRedis());
  const labelNames = ['face', 'route', 'method', 'status'] as const;
  const requests = new Counter({
    name: 'buybuy_http_requests_total',
    help: 'HTTP requests by face (trpc, rest, other), route pattern or tRPC procedure (a batch once per procedure), method and status',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'buybuy_http_request_duration_seconds',
    help: 'HTTP request latency by face, route pattern or tRPC procedure, method and status',
    labelNames,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });

  /**
   * `{face, routes}` of a `/trpc` or `/v1` path, or undefined for any other
   * path. Every label value comes from a closed set: the operation table's
   * paths and procedure names, `unknown`, `unmatched`.
   */
  const apiRoutesOf = (path: string): { face: Face; routes: string[] } | undefined => {
    if (path === '/trpc' || path.startsWith('/trpc/')) {
      // A batch (`/trpc/a.list,b.get`) counts once for each procedure it calls:
      // labelling by the combination let anonymous callers mint series at will.
      const names = decodeURIComponent(path.slice(6)).split(',');
      const routes = names.map((name) => (operations.procedure(name) ? name : 'unknown'));
      return { face: 'trpc', routes: [...new Set(routes)] };
    }
    if (path === '/v1' || path.startsWith('/v1/')) {
      // `/v1/products/42` → `/v1/products/{id}`: the first operation's path that matches.
      const route = operations.atPath(path.slice(3) || '/')[0]?.path;
      return { face: 'rest', routes: [route ? `/v1${route}` : 'unmatched'] };
    }
    return undefined;
  };
  // The same few paths come back all the time: remember their labels, up to a bound (ids vary).
  const apiRoutes = new Map<string, ReturnType<typeof apiRoutesOf>>();
  const routesOf = (
    request: FastifyRequest,
    reply: FastifyReply,
  ): { face: Face; routes: string[] } => {
    // originalUrl: the REST adapter rewrites request.url (drops /v1).
    const path = request.originalUrl.split('?', 1)[0]!;
    let api = apiRoutes.get(path);
    if (api === undefined && !apiRoutes.has(path)) {
      api = apiRoutesOf(path);
      if (apiRoutes.size >= 10_000) apiRoutes.clear();
      apiRoutes.set(path, api);
    }
    if (api) return api;
    // A 404 has no route pattern; anything else is labelled by the pattern Fastify matched.
    const pattern = reply.statusCode === 404 ? undefined : request.routeOptions.url;
    return { face: 'other', routes: [pattern ?? 'unmatched'] };
  };

  // One pair of series per label set, looked up by a string key rather than
  // prom-client hashing a labels object on every response.
  const series = new Map<string, { count: Counter.Internal; time: Histogram.Internal<string> }>();
  app.addHook('onResponse', (request, reply, done) => {
    const { face, routes } = routesOf(request, reply);
    noteRoute(request, face, routes.join(','));
    const status = String(reply.statusCode);
    for (const route of routes) {
      const key = `${face} ${route} ${request.method} ${status}`;
      let pair = series.get(key);
      if (!pair) {
        const labels = [face, route, request.method, status];
        pair = { count: requests.labels(...labels), time: duration.labels(...labels) };
        series.set(key, pair);
      }
      pair.count.inc();
      pair.time.observe(reply.elapsedTime / 1000);
    }
    done();
  });

  const unsubscribe = observeDatabase(db, registry, config.metrics.slowQueryMs, app.log);
  app.addHook('onClose', async () => unsubscribe.forEach((stop) => stop()));

  if (config.metrics.enabled) {
    const allowed = scraperCheck(config.metrics.token);
    // A plain root route: outside /v1 (no envelope) and outside the procedures (no rate limit).
    app.get('/metrics', async (request, reply) => {
      if (!allowed(request.headers.authorization)) {
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer')
          .send(failure('Send the METRICS_TOKEN as a bearer token', 'UNAUTHORIZED'));
      }
      return reply.type(registry.contentType).send(await registry.metrics());
    });
  }
}

/** Whether an Authorization header carries the metrics token (anyone, without a token set). */
function scraperCheck(token: string | undefined): (authorization: string | undefined) => boolean {
  if (token === undefined) return () => true;
  const expected = createHash('sha256').update(`Bearer ${token}`).digest();
  // Hashes of equal length: timingSafeEqual tells nothing about the token's length.
  return (authorization) =>
    authorization !== undefined &&
    timingSafeEqual(createHash('sha256').update(authorization).digest(), expected);
}

export const metricsPlugin = fp(registerMetrics, { name: 'buybuy-metrics', fastify: '5.x' });

/**
 * `buybuy_jobs{queue, state}` at scrape time: waiting, active, delayed
 * (waiting to retry) and failed (every try failed, kept to be read). One
 * queue today (`jobs`). When the counts cannot be read (Redis away) the
 * series are left out of that scrape and a warning says why; the rest of
 * /metrics is still served.
 */
function observeJobs(jobs: JobQueue, registry: Registry, log: FastifyBaseLogger) {
  new Gauge({
    name: 'buybuy_jobs',
    help: 'Background jobs by state: waiting, active, delayed (to be retried), failed (every try failed)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const counts = await withTimeout(jobs.counts(), JOB_COUNTS_TIMEOUT_MS);
        for (const [state, count] of Object.entries(counts)) {
          this.set({ queue: 'jobs', state }, count);
        }
      } catch (error) {
        log.warn({ err: error, mode: jobs.mode }, 'job counts unavailable for /metrics');
      }
    },
  });
}

/** A scrape never waits long for an absent Redis. */
const JOB_COUNTS_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function observeDatabase(
  db: Database,
  registry: Registry,
  slowQueryMs: number,
  log: FastifyBaseLogger,
): Array<() => void> {
  const pools = databasePools(db);
  const queries = new Histogram({
    name: 'buybuy_db_query_duration_seconds',
    help: 'Time of each SQL statement, by pool and statement kind',
    labelNames: ['pool', 'operation', 'outcome'],
    buckets: DB_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: 'buybuy_db_pool_connections',
    help: 'mysql2 pool connections: total open, free (idle), in_use, and limit (connectionLimit)',
    labelNames: ['pool', 'state'],
    registers: [registry],
    collect() {
      for (const { name, pool } of pools) {
        const stats = poolStats(pool);
        this.set({ pool: name, state: 'total' }, stats.total);
        this.set({ pool: name, state: 'free' }, stats.free);
        this.set({ pool: name, state: 'in_use' }, stats.total - stats.free);
        this.set({ pool: name, state: 'limit' }, stats.limit);
      }
    },
  });
  new Gauge({
    name: 'buybuy_db_pool_queued_requests',
    help: 'Callers waiting for a pool connection because every one is busy',
    labelNames: ['pool'],
    registers: [registry],
    collect() {
      for (const { name, pool } of pools) this.set({ pool: name }, poolStats(pool).queued);
    },
  });

  // Each pool's series by operation and outcome, made once: a statement only looks one up.
  return pools.map(({ name, pool }) => {
    const series = new Map<string, Histogram.Internal<string>>();
    const histogramFor = (operation: string, outcome: string) => {
      const key = `${operation} ${outcome}`;
      let histogram = series.get(key);
      if (!histogram) series.set(key, (histogram = queries.labels(name, operation, outcome)));
      return histogram;
    };
    const ok = new Map(OPERATIONS.map((operation) => [operation, histogramFor(operation, 'ok')]));
    return onQuery(pool, ({ sql, durationMs, failed }) => {
      const operation = operationOf(sql);
      const histogram = failed ? histogramFor(operation, 'error') : ok.get(operation)!;
      histogram.observe(durationMs / 1000);
      if (slowQueryMs > 0 && durationMs >= slowQueryMs) {
        log.warn(
          { sql: sqlShape(sql), durationMs: Math.round(durationMs), pool: name },
          'slow query',
        );
      }
    });
  });
}

const OPERATIONS = ['select', 'insert', 'update', 'delete', 'other'] as const;
type Operation = (typeof OPERATIONS)[number];
const VERBS = OPERATIONS.filter((operation) => operation !== 'other');

/** A character of \w: a letter, a digit or _. */
const isWordCharacter = (code: number) =>
  (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122) || code === 95;

/**
 * The statement's kind from its first word, in any case: what
 * `/^\s*(\w+)/` and a lower-cased comparison would say, read code by code
 * without a copy, since it runs for every statement.
 */
export function operationOf(sql: string): Operation {
  let start = 0;
  while (sql.charCodeAt(start) <= 32) start++;
  verbs: for (const verb of VERBS) {
    for (let i = 0; i < verb.length; i++) {
      // | 32 lower-cases a letter, and makes nothing else a letter.
      if ((sql.charCodeAt(start + i) | 32) !== verb.charCodeAt(i)) continue verbs;
    }
    return isWordCharacter(sql.charCodeAt(start + verb.length)) ? 'other' : verb;
  }
  return 'other';
}
