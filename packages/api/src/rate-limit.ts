import type { Cluster, Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';

import { rateLimited } from './errors';

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
}

/**
 * Rate limits live in the procedures' middleware (not in URL hooks), so REST,
 * tRPC and each call of a tRPC batch count alike. Counters are shared through
 * Redis; if Redis fails mid-flight, an in-process limiter takes over instead
 * of letting every call through.
 */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  if (!options.enabled) {
    return {
      consume: async () => {},
      charge: async () => true,
      used: async () => ({ calls: 0, retryAfter: 0 }),
      record: async () => {},
      budget: () => Number.POSITIVE_INFINITY,
    };
  }

  const make = (
    bucket: RateLimitBucket,
    points: number,
    duration = options.windowSeconds,
  ): RateLimiterAbstract => {
    const base = {
      points,
      duration,
      keyPrefix: `${options.keyPrefix ?? 'rl'}:${bucket}`,
    };
    const memory = new RateLimiterMemory(base);
    return options.redis
      ? new RateLimiterRedis({ ...base, storeClient: options.redis, insuranceLimiter: memory })
      : memory;
  };
  const limiters: Record<RateLimitBucket, RateLimiterAbstract> = {
    general: make('general', options.max),
    auth: make('auth', options.authMax),
    apiKey: make('apiKey', options.apiKeyMax ?? options.max),
    email: make('email', options.emailMax ?? 5, EMAIL_WINDOW_SECONDS),
  };

  return {
    async consume(bucket, key) {
      try {
        await limiters[bucket].consume(key);
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          options.onRejected?.(bucket);
          throw rateLimited(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
        }
        throw error;
      }
    },
    async charge(bucket, key, calls) {
      try {
        await limiters[bucket].consume(key, calls);
        return true;
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        // Given back, so the procedures' own refusal is the one call counted.
        await limiters[bucket].reward(key, calls);
        return false;
      }
    },
    async used(bucket, key) {
      const state = await limiters[bucket].get(key);
      return {
        calls: state?.consumedPoints ?? 0,
        retryAfter: Math.max(1, Math.ceil((state?.msBeforeNext ?? 0) / 1000)),
      };
    },
    async record(bucket, key) {
      await limiters[bucket].penalty(key, 1);
    },
    budget: (bucket) => limiters[bucket].points,
  };
}
