import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import { type ApiOptions, createApi, operationTable } from '@buybuy/api';
import type { Config } from '@buybuy/config';
import { type Database, replicaRotation, searchEngineOf } from '@buybuy/db';
import { createImageStorage, type ImageStorage } from '@buybuy/images';
import type { JobQueue } from '@buybuy/jobs';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Cluster, Redis } from 'ioredis';

import { createResponseCache, httpCachePlugin, responseCachePlugin } from './cache';
import { type LogDestination, loggingOptions } from './logging';
import { servedOpenApiDocument } from './openapi';
import { docsPlugin } from './plugins/docs';
import { drainPlugin } from './plugins/drain';
import { answerClientError, frameworkErrorHandler, sendFrameworkError } from './plugins/envelope';
import { checkReadiness, healthPlugin } from './plugins/health';
import { jsonBodyPlugin } from './plugins/json-body';
import { createMetrics, metricsPlugin } from './plugins/metrics';
import { restPlugin } from './plugins/rest';
import { securityPlugin } from './plugins/security';
import { trpcPlugin } from './plugins/trpc';
import { uploadFilesPlugin } from './plugins/uploads';
import { nameRequestSpans, traceRedis, type Tracing } from './tracing';

export interface AppOptions {
  config: Config;
  db: Database;
  redis?: Redis | Cluster;
  /** Namespaces Redis keys (tests: one per file); defaults to `config.redisKeyPrefix`. */
  keyPrefix?: string;
  /** false silences logs (tests); a stream receives them instead of stdout (JSON, or development's lines). */
  logger?: LogDestination;
  /** Readiness check of the database; defaults to `SELECT 1` through `db`. */
  pingDatabase?: () => Promise<unknown>;
  /** Observer of the catalog cache (hits, misses, Redis failures), e.g. for metrics. */
  onCacheEvent?: ApiOptions['onCacheEvent'];
  /**
   * The background job queue (server.ts: BullMQ with Redis, else in this
   * process), made once the app's logger exists; counted in `/metrics` and
   * closed with the app (jobs under way finish first). None: no jobs.
   */
  jobs?: (log: FastifyBaseLogger) => JobQueue;
  /** Where uploaded images go; defaults to the store config names (local disk or S3). */
  storage?: ImageStorage;
  /** OpenTelemetry, when started (tracing.ts): spans for each request and its SQL and Redis calls. */
  tracing?: Tracing;
}

/** What the HTTP response cache may hold, in stored body size, per process. */
const RESPONSE_CACHE_BYTES = 64 * 1024 * 1024;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Reuses a caller's (or the proxy's) `x-request-id` when it looks sane, else makes one. */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Builds the Fastify app without listening: server.ts listens, tests inject. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, db } = options;
  const app = Fastify({
    ...loggingOptions(config, options.logger),
    bodyLimit: config.bodyLimitBytes,
    // Idle and slow connections are closed (config.http); Node checks them
    // every `connectionsCheckingInterval`, 30 s by default: too coarse here.
    keepAliveTimeout: config.http.keepAliveMs,
    requestTimeout: config.http.requestMs,
    connectionTimeout: config.http.idleMs,
    http: {
      headersTimeout: Math.min(config.http.requestMs, 60_000),
      connectionsCheckingInterval: Math.min(config.http.requestMs, 1000),
    },
    trustProxy: config.trustProxy,
    // A batched tRPC call names every procedure in one path segment
    // (`/trpc/a.b,c.d,...`): Fastify's default 100-character limit would
    // refuse a batch of a handful of calls. Node caps the URL (16 KB) anyway.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 16_384 },
    // Errors the router raises before any route (bad URL encoding, ...) wear the envelope too.
    frameworkErrors: (error, _request, reply) =>
      void sendFrameworkError(reply, error.statusCode ?? 400),
    // Bytes Node refuses before they are a request (431, 408, a broken request line) too.
    clientErrorHandler: answerClientError,
    genReqId: requestId,
    // A request that reaches a closing instance on an open connection is
    // served (with Connection: close), not answered 503: a balancer retries
    // a 503 only for idempotent requests, so a POST would fail. /ready alone
    // answers 503 from the start of the close (plugins/drain.ts).
    return503OnClosing: false,
  });
  // First, so every route and hook registered after it is traced.
  if (options.tracing) {
    await app.register(options.tracing.plugin);
    if (options.redis) traceRedis(options.redis);
  }
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  // Outside /v1 too, errors never carry stack traces or internal messages.
  app.setErrorHandler(frameworkErrorHandler);
  app.setNotFoundHandler((_request, reply) => sendFrameworkError(reply, 404));

  const jobs = options.jobs?.(app.log);
  if (jobs) app.addHook('onClose', () => jobs.close());
  // Before the API: the limiter and the cache report to it.
  const metrics = createMetrics();
  // Generated once: /openapi.json serves it, and the operation table is read from it.
  const document = servedOpenApiDocument(config.publicUrl);
  // The local store is served at /uploads by this server; an S3 bucket by its CDN.
  const storage = options.storage ?? createImageStorage(config.storage, config.uploads);
  const onCacheEvent: ApiOptions['onCacheEvent'] = (event, name) => {
    metrics.cacheEvent(event, name);
    options.onCacheEvent?.(event, name);
  };
  const api = createApi({
    config,
    db,
    redis: options.redis,
    keyPrefix: options.keyPrefix ?? config.redisKeyPrefix,
    onRateLimited: metrics.rateLimited,
    onCacheEvent,
    log: app.log,
    images: storage,
    jobs,
  });
  // Calls the limiter counted and has not sent to Redis yet, once the last handler is done.
  app.addHook('onClose', () => api.limiter.flush());
  // After the queue's and the limiter's onClose (so it runs before them) and before every route.
  await app.register(drainPlugin);

  const operations = operationTable(api.router, document);
  if (options.tracing) nameRequestSpans(app, operations);
  const responseCache = config.cache.enabled
    ? createResponseCache({
        api,
        operations,
        ttlSeconds: config.cache.ttlSeconds,
        maxBytes: RESPONSE_CACHE_BYTES,
        onEvent: onCacheEvent,
      })
    : undefined;
  const pingDatabase = options.pingDatabase ?? (() => db.execute('SELECT 1'));

  // Each plugin declares what must come before it (fastify-plugin
  // `dependencies`, `decorators`): Fastify refuses a wrong order at start.
  const dependencies = {
    pingDatabase,
    redis: options.redis,
    replicas: replicaRotation(db),
    searchEngine: () => searchEngineOf(db),
  };
  const readiness = () => checkReadiness(dependencies, app.log);
  await app.register(metricsPlugin, {
    config,
    db,
    metrics,
    operations,
    jobs,
    readiness,
    redis: options.redis,
  });
  await app.register(securityPlugin, { config });
  await app.register(jsonBodyPlugin);
  await app.register(responseCachePlugin, { responseCache });
  await app.register(httpCachePlugin, { operations });
  await app.register(healthPlugin, dependencies);
  await app.register(docsPlugin, { document });
  await app.register(trpcPlugin, { api, responseCache });
  await app.register(uploadFilesPlugin, { storage });
  await app.register(restPlugin, {
    api,
    operations,
    uploads: { storage, maxBytes: config.uploads.maxBytes, jobs },
    responseCache,
    prefix: '/v1',
  });
  return app;
}
