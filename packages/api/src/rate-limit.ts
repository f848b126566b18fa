import type { Cluster, Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';

import { rateLimited } from './errors';
import { type Bucket, createPrecountBucket } from './rate-limit-precount';

export type RateLimitBucket = 'general' | 'auth' | 'apiKey' | 'email';

/** The email bucket counts per hour: a person waits minutes for an email, not seconds. */
const EMAIL_WINDOW_SECONDS = 3600;

export interface RateLimitOptions {
  enabled: boolean;
  windowSeconds: number;
  /** Calls per window for every caller (per user when signed in, else per IP). */
  max: number;
  /** Calls per window to login/register/refresh, per IP and per submitted email. */
  authMax: number;
  /** Calls per window for each API key (its own budget: not the IP's, not its creator's); default `max`. */
  apiKeyMax?: number;
  /** Emails sent per hour to one address (password reset, verification), whoever asks; default 5. */
  emailMax?: number;
  /** Shared store; without it the counters live in this process. */
  redis?: Redis | Cluster;
  /** Namespaces the Redis keys (tests give each app its own). */
  keyPrefix?: string;
  /** Told about every refused call (metrics count them by bucket). */
  onRejected?: (bucket: RateLimitBucket) => void;
}

export interface RateLimiter {
  /** Counts one call against `key` in `bucket`; throws RATE_LIMITED when the budget is spent. */
  consume(bucket: RateLimitBucket, key: string): Promise<void>;
  /**
   * Counts `calls` answered without running a procedure (the HTTP response
   * cache). False, counting nothing, when the budget is spent: the caller
   * then runs the procedures, which refuse the call with RATE_LIMITED and
   * report it, as for any other call.
   */
  charge(bucket: RateLimitBucket, key: string, calls: number): Promise<boolean>;
  /** What `key` has used of its budget in this window, without counting a call. */
  used(bucket: RateLimitBucket, key: string): Promise<{ calls: number; retryAfter: number }>;
  /** Counts one event against `key` without refusing anything (failed sign-ins). */
  record(bucket: RateLimitBucket, key: string): Promise<void>;
  /** The budget of `bucket` per window. */
  budget(bucket: RateLimitBucket): number;
  /** Sends the calls counted in this process and not yet in Redis (on shutdown). */
  flush(): Promise<void>;
}

/**
 * Rate limits live in the procedures' middleware (not in URL hooks), so REST,
 * tRPC and each call of a tRPC batch count alike. Counters are shared through
 * Redis; if Redis fails mid-flight, an in-process limiter takes over instead
 * of letting every call through. The busy budgets (general, apiKey) count
 * here first and sync to Redis in batches (rate-limit-precount.ts); auth and
 * email, rare and guarding credentials and inboxes, ask Redis on every call.
 */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  if (!options.enabled) {
    return {
      consume: async () => {},
      charge: async () => true,
      used: async () => ({ calls: 0, retryAfter: 0 }),
      record: async () => {},
      budget: () => Number.POSITIVE_INFINITY,
      flush: async () => {},
    };
  }

  const make = (
    bucket: RateLimitBucket,
    points: number,
    { precount = false, duration = options.windowSeconds } = {},
  ): Bucket => {
    const keyPrefix = `${options.keyPrefix ?? 'rl'}:${bucket}`;
    const memory = new RateLimiterMemory({ points, duration, keyPrefix });
    if (!options.redis) return flexibleBucket(memory);
    if (precount) {
      return createPrecountBucket({
        redis: options.redis,
        keyPrefix,
        points,
        windowSeconds: duration,
        fallback: flexibleBucket(memory),
      });
    }
    return flexibleBucket(
      new RateLimiterRedis({
        points,
        duration,
        keyPrefix,
        storeClient: options.redis,
        insuranceLimiter: memory,
      }),
    );
  };
  const buckets: Record<RateLimitBucket, Bucket> = {
    general: make('general', options.max, { precount: true }),
    auth: make('auth', options.authMax),
    apiKey: make('apiKey', options.apiKeyMax ?? options.max, { precount: true }),
    email: make('email', options.emailMax ?? 5, { duration: EMAIL_WINDOW_SECONDS }),
  };

  return {
    async consume(bucket, key) {
      const { allowed, msBeforeNext } = await buckets[bucket].consume(key, 1);
      if (allowed) return;
      options.onRejected?.(bucket);
      throw rateLimited(Math.max(1, Math.ceil(msBeforeNext / 1000)));
    },
    charge: (bucket, key, calls) => buckets[bucket].charge(key, calls),
    async used(bucket, key) {
      const { calls, msBeforeNext } = await buckets[bucket].used(key);
      return { calls, retryAfter: Math.max(1, Math.ceil(msBeforeNext / 1000)) };
    },
    record: (bucket, key) => buckets[bucket].record(key, 1),
    budget: (bucket) => buckets[bucket].points,
    async flush() {
      await Promise.all(Object.values(buckets).map((bucket) => bucket.flush()));
    },
  };
}

/** A rate-limiter-flexible limiter as a Bucket: every call asks its store. */
function flexibleBucket(limiter: RateLimiterAbstract): Bucket {
  return {
    points: limiter.points,
    async consume(key, calls) {
      try {
        const { msBeforeNext } = await limiter.consume(key, calls);
        return { allowed: true, msBeforeNext };
      } catch (error) {
        if (error instanceof RateLimiterRes)
          return { allowed: false, msBeforeNext: error.msBeforeNext };
        throw error;
      }
    },
    async charge(key, calls) {
      try {
        await limiter.consume(key, calls);
        return true;
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        // Given back, so the procedures' own refusal is the one call counted.
        await limiter.reward(key, calls);
        return false;
      }
    },
    async used(key) {
      const state = await limiter.get(key);
      return { calls: state?.consumedPoints ?? 0, msBeforeNext: state?.msBeforeNext ?? 0 };
    },
    async record(key, calls) {
      await limiter.penalty(key, calls);
    },
    flush: async () => {},
  };
}
