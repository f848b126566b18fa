import { type Auth, AuthError, createAuth } from '@buybuy/auth';
import type { Config } from '@buybuy/config';
import type { Database } from '@buybuy/db';
import type { ImageStorage } from '@buybuy/images';
import type { JobQueue } from '@buybuy/jobs';
import type { Cluster, Redis } from 'ioredis';

import {
  type CacheLogger,
  type CacheObserver,
  type CatalogCache,
  createCatalogCache,
} from './cache';
import { createShopEmails } from './emails';
import { unauthorized } from './errors';
import { createIdempotencyStore } from './idempotency/store';
import { productImageFiles } from './products/image-files';
import { createRateLimiter, type RateLimitBucket, type RateLimiter } from './rate-limit';
import { appRouter } from './router';
import { type ApiDeps, type Authenticator, createContext, type RequestInfo } from './trpc';

export interface ApiOptions {
  config: Config;
  db: Database;
  /** Shared store for rate limits; without it they are counted in this process. */
  redis?: Redis | Cluster;
  /** Namespaces Redis keys, so several apps (or test files) can share one Redis. */
  keyPrefix?: string;
  /** Told about every call a rate limit refused, by budget (metrics count them). */
  onRateLimited?: (bucket: RateLimitBucket) => void;
  /** Called on every cached read (hit/miss) and Redis cache failure: the metrics hook. */
  onCacheEvent?: CacheObserver;
  /** Where the cache reports a Redis outage (once) and its end, and image files left undeleted. */
  log?: CacheLogger;
  /** The image store: with it, deleting or replacing a product's images deletes their files. */
  images?: ImageStorage;
  /**
   * The background job queue: image variants and file deletions go there,
   * and admins read its failures. Without it that work is done in the request.
   */
  jobs?: JobQueue;
}

export interface Api {
  router: typeof appRouter;
  auth: Auth;
  /** The catalog cache the procedures use (its generation keys caches layered on top). */
  cache: CatalogCache;
  /** The procedures' rate limits, for calls answered without running them. */
  limiter: RateLimiter;
  createContext: (request: RequestInfo) => ReturnType<typeof createContext>;
}

/** Builds the router's long-lived dependencies once, for one server. */
export function createApi(options: ApiOptions): Api {
  const { config, db } = options;
  const auth = createAuth({ db, ...config.auth });
  const authenticator: Authenticator = {
    async authenticate(token) {
      try {
        return await auth.authenticate(token);
      } catch (error) {
        if (error instanceof AuthError) throw unauthorized(error.code, error.message);
        throw error;
      }
    },
  };
  const limiter = createRateLimiter({
    ...config.rateLimit,
    redis: options.redis,
    keyPrefix: `${options.keyPrefix ?? 'buybuy'}:rl`,
    onRejected: options.onRateLimited,
  });
  const cache = createCatalogCache({
    ...config.cache,
    redis: options.redis,
    keyPrefix: `${options.keyPrefix ?? 'buybuy'}:cache`,
    onEvent: options.onCacheEvent,
    log: options.log,
  });
  const idempotency = createIdempotencyStore({
    retentionMs: config.idempotency.ttlSeconds * 1000,
    // Longer than any write takes; a claim left by a crashed process frees itself.
    claimMs: 60_000,
    redis: options.redis,
    keyPrefix: `${options.keyPrefix ?? 'buybuy'}:idem`,
  });
  const imageFiles = options.images
    ? productImageFiles({
        db,
        storage: options.images,
        jobs: options.jobs,
        log: options.log ?? console,
      })
    : undefined;
  const deps: ApiDeps = {
    db,
    auth,
    authenticator,
    limiter,
    cache,
    idempotency,
    shop: config.shop,
    imageFiles,
    jobs: options.jobs,
    emails: createShopEmails({
      jobs: options.jobs,
      shop: config.shop.name,
      storefrontUrl: config.storefrontUrl,
      log: options.log,
    }),
  };
  return {
    router: appRouter,
    auth,
    cache,
    limiter,
    createContext: (request) => createContext(deps, request),
  };
}
