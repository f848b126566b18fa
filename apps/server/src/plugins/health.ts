import { withTimeout } from '@buybuy/api';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Cluster, Redis } from 'ioredis';

export interface HealthPluginOptions {
  /** Resolves when the database answers `SELECT 1`, rejects otherwise. */
  pingDatabase: () => Promise<unknown>;
  redis?: Redis | Cluster;
}

/** How long a readiness probe waits for a dependency before calling it down. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Probes for load balancers and orchestrators, outside /v1: not enveloped,
 * not rate limited (limits live in the procedures, and these are plain routes).
 */
async function healthRoutes(app: FastifyInstance, { pingDatabase, redis }: HealthPluginOptions) {
  /** Liveness: the process answers. No dependency checks, so a database outage never restarts it. */
  app.get('/health', async () => ({ status: 'ok' }));

  /** Readiness: 503 while the database is unreachable (checkReadiness). */
  app.get('/ready', async (request, reply) => {
    const {
      ready,
      database,
      redis: cache,
    } = await checkReadiness({ pingDatabase, redis }, request.log);
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ok' : 'unavailable', database, redis: cache });
  });
}

export interface Readiness {
  /** What /ready answers 200 for: the database answers. */
  ready: boolean;
  database: 'ok' | 'down';
  redis: 'ok' | 'down' | 'disabled';
}

/**
 * Ready while the database is reachable. Redis only degrades the service
 * (rate limits fall back to this process), so it is reported but never takes
 * the instance out of rotation. Shared by /ready and /metrics (buybuy_ready).
 */
export async function checkReadiness(
  { pingDatabase, redis }: HealthPluginOptions,
  log: FastifyBaseLogger,
): Promise<Readiness> {
  const [database, cache] = await Promise.all([
    withTimeout(pingDatabase(), PROBE_TIMEOUT_MS).then(
      () => 'ok' as const,
      (error: unknown) => {
        log.warn({ err: error }, 'readiness: database unreachable');
        return 'down' as const;
      },
    ),
    redisStatus(redis, log),
  ]);
  return { ready: database === 'ok', database, redis: cache };
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
