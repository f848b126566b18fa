import { withTimeout } from '@buybuy/api';
import type { ReplicaRotation, SearchEngine } from '@buybuy/db';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Cluster, Redis } from 'ioredis';

export interface HealthPluginOptions {
  /** Resolves when the database answers `SELECT 1`, rejects otherwise. */
  pingDatabase: () => Promise<unknown>;
  redis?: Redis | Cluster;
  /** The read replicas' rotation (none without DATABASE_REPLICA_URLS). */
  replicas?: ReplicaRotation;
  /** The search engine searches go to, when there is one (SEARCH_ENGINE_URL; it is opened after the app). */
  searchEngine?: () => SearchEngine | undefined;
}

/** How long a readiness probe waits for a dependency before calling it down. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Probes for load balancers and orchestrators, outside /v1: not enveloped,
 * not rate limited (limits live in the procedures, and these are plain routes).
 */
async function healthRoutes(app: FastifyInstance, options: HealthPluginOptions) {
  /** Liveness: the process answers. No dependency checks, so a database outage never restarts it. */
  app.get('/health', async () => ({ status: 'ok' }));

  /** Readiness: 503 while the database is unreachable (checkReadiness). */
  app.get('/ready', async (request, reply) => {
    const { ready, degraded, ...dependencies } = await checkReadiness(options, request.log);
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? (degraded ? 'degraded' : 'ok') : 'unavailable', ...dependencies });
  });

  if (options.replicas) logReplicaChanges(app, options.replicas);
}

/** One line each time a replica leaves the rotation (warn, with why) or rejoins it. */
function logReplicaChanges(app: FastifyInstance, replicas: ReplicaRotation) {
  const stop = replicas.watch(({ name, up, error }) => {
    if (up) app.log.info({ replica: name }, 'read replica back in the rotation');
    else app.log.warn({ replica: name, err: error }, 'read replica out of the rotation');
  });
  app.addHook('onClose', async () => void stop());
}

export interface Readiness {
  /** What /ready answers 200 for: the database answers. */
  ready: boolean;
  /** Ready, but a read replica is out of the rotation (its reads go to the others, then the primary). */
  degraded: boolean;
  database: 'ok' | 'down';
  redis: 'ok' | 'down' | 'disabled';
  /** Each read replica by its pool label (`replica0`, ...); absent without replicas. */
  replicas?: Record<string, 'ok' | 'down'>;
  /**
   * The search engine (absent without one): `filling` until it holds the
   * catalog, `down` when it does not answer; either way searches read from
   * the database meanwhile, so it degrades the service, never stops it.
   */
  search_engine?: 'ok' | 'filling' | 'down';
}

/**
 * Ready while the database is reachable. Redis only degrades the service
 * (rate limits fall back to this process), so it is reported but never takes
 * the instance out of rotation; nor does a read replica that is away, since
 * its reads go elsewhere: /ready says `degraded` and names it. Shared by
 * /ready and /metrics (buybuy_ready).
 */
export async function checkReadiness(
  { pingDatabase, redis, replicas, searchEngine }: HealthPluginOptions,
  log: FastifyBaseLogger,
): Promise<Readiness> {
  const [database, cache, replicaStates, engine] = await Promise.all([
    withTimeout(pingDatabase(), PROBE_TIMEOUT_MS).then(
      () => 'ok' as const,
      (error: unknown) => {
        log.warn({ err: error }, 'readiness: database unreachable');
        return 'down' as const;
      },
    ),
    redisStatus(redis, log),
    replicas?.check(),
    searchEngineStatus(searchEngine?.(), log),
  ]);
  const readiness: Readiness = {
    ready: database === 'ok',
    degraded: false,
    database,
    redis: cache,
  };
  if (replicaStates) {
    readiness.degraded = replicaStates.some((replica) => !replica.up);
    readiness.replicas = Object.fromEntries(
      replicaStates.map(({ name, up }) => [name, up ? 'ok' : 'down']),
    );
  }
  if (engine) {
    readiness.search_engine = engine;
    if (engine !== 'ok') readiness.degraded = true;
  }
  return readiness;
}

export const healthPlugin = fp(healthRoutes, {
  name: 'buybuy-health',
  fastify: '5.x',
  encapsulate: true,
});

async function redisStatus(
  redis: Redis | Cluster | undefined,
  log: FastifyBaseLogger,
): Promise<'ok' | 'down' | 'disabled'> {
  if (!redis) return 'disabled';
  if (redis.status !== 'ready') return 'down';
  try {
    await withTimeout(redis.ping(), PROBE_TIMEOUT_MS);
    return 'ok';
  } catch (error) {
    log.warn({ err: error }, 'readiness: redis does not answer');
    return 'down';
  }
}

async function searchEngineStatus(
  engine: SearchEngine | undefined,
  log: FastifyBaseLogger,
): Promise<'ok' | 'filling' | 'down' | undefined> {
  if (!engine) return undefined;
  try {
    await withTimeout(engine.ping(), PROBE_TIMEOUT_MS);
  } catch (error) {
    log.warn({ err: error }, 'readiness: the search engine does not answer');
    return 'down';
  }
  // Answering, but searches wait for it to hold the catalog.
  return engine.ready ? 'ok' : 'filling';
}
