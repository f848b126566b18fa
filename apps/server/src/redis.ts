import { type Config, redactUrl } from '@buybuy/config';
import type { FastifyBaseLogger } from 'fastify';
import { Cluster, Redis } from 'ioredis';

export type RedisClient = Redis | Cluster;

const retry = (attempt: number) => Math.min(attempt * 200, 5_000);

/**
 * The Redis the server shares rate limits and the catalog cache through: one
 * node (`REDIS_URL`), a Redis Cluster from its seed nodes
 * (`REDIS_CLUSTER_NODES`), or none. Not connected yet (`lazyConnect`), so the
 * caller can attach its listeners first. Commands fail fast instead of
 * queueing while Redis is away (the limiter's in-process insurance and the
 * cache's database fallback take over), and reconnection never stops.
 *
 * Everything BuyBuy sends is cluster-safe: the limiter touches one key per
 * command, and the cache's multi-key MGET reads keys that share a hash tag.
 */
export function createRedis(
  config: Pick<Config, 'redisUrl' | 'redisClusterNodes'>,
): { client: RedisClient; address: string } | undefined {
  if (config.redisClusterNodes.length > 0) {
    const nodes = config.redisClusterNodes.map((node) => {
      const at = node.lastIndexOf(':');
      return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
    });
    const client = new Cluster(nodes, {
      lazyConnect: true,
      enableOfflineQueue: false,
      clusterRetryStrategy: retry,
      redisOptions: { maxRetriesPerRequest: 1 },
    });
    return { client, address: `cluster ${config.redisClusterNodes.join(',')}` };
  }
  if (config.redisUrl) {
    const client = new Redis(config.redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: retry,
    });
    return { client, address: redactUrl(config.redisUrl) };
  }
  return undefined;
}

/**
 * Logs each outage once and its end (an 'error' listener also keeps ioredis
 * from crashing the process).
 */
export function watchRedis(redis: RedisClient, address: string, log: FastifyBaseLogger) {
  let down = false;
  redis.on('error', (error: Error & { code?: string }) => {
    if (down) return;
    down = true;
    log.warn(
      { redis: address, code: error.code, reason: error.message },
      'Redis is unavailable: rate limits are counted in this process and the catalog cache is bypassed until it returns',
    );
  });
  redis.on('ready', () => {
    if (down) log.info('Redis connection restored');
    down = false;
  });
}

/** QUIT when connected (pending replies arrive first); a client still reconnecting is just dropped. */
export async function closeRedis(redis: RedisClient | undefined) {
  if (!redis) return;
  if (redis.status === 'ready') await redis.quit();
  else redis.disconnect();
}
