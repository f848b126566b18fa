import type { Cluster, Redis } from 'ioredis';

import { type CacheLogger, type CacheObserver, type CatalogCache, noCache } from './cache';
import { createMemoryCache } from './memory';
import { createRedisCache } from './redis';

export type { CacheEvent, CacheLogger, CacheObserver, CatalogCache } from './cache';
export { freshReads } from './fresh-read';
export { createMemoryCache } from './memory';
export { createRedisCache } from './redis';
export { singleFlight } from './single-flight';

export interface CatalogCacheOptions {
  enabled: boolean;
  ttlSeconds: number;
  /** Shared by every instance when given; otherwise the cache lives in this process. */
  redis?: Redis | Cluster;
  keyPrefix: string;
  onEvent?: CacheObserver;
  log?: CacheLogger;
}

/** Redis when configured, else in-process; a no-op when CACHE_ENABLED=false. */
export function createCatalogCache(options: CatalogCacheOptions): CatalogCache {
  if (!options.enabled) return noCache;
  return options.redis
    ? createRedisCache({ ...options, redis: options.redis })
    : createMemoryCache(options);
}
