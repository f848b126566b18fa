import type { Cluster, Redis } from 'ioredis';

import { withTimeout } from '../shared/timeout';
import type { CacheLogger, CacheObserver, CatalogCache } from './cache';
import { entryKey, newGeneration } from './cache';
import { freshReads } from './fresh-read';
import { singleFlight } from './single-flight';

export interface RedisCacheOptions {
  redis: Redis | Cluster;
  /** Namespaces the keys (several apps or test files can share one Redis). */
  keyPrefix: string;
  ttlSeconds: number;
  onEvent?: CacheObserver;
  log?: CacheLogger;
  /** A Redis call slower than this counts as a failure (the read goes to the database). */
  timeoutMs?: number;
  /** How many decoded entries this process keeps, to skip `JSON.parse` on repeated hits. */
  decodedEntries?: number;
}

/**
 * The last decoded value of each hot entry, keyed by Redis key and checked
 * against the exact text Redis returned: a hit whose text is unchanged reuses
 * the value instead of parsing ~12 KB of JSON again (the largest cost of a hit
 * after the round trip). Redis stays the source of truth, so this can never
 * serve anything Redis would not. Callers share the value, as they already
 * do with the in-process cache: nothing mutates a catalog read's result.
 */
function decodedValues(max: number) {
  const values = new Map<string, { text: string; value: unknown }>();
  return (key: string, text: string): unknown => {
    const known = values.get(key);
    if (known?.text === text) return known.value;
    const value: unknown = JSON.parse(text);
    values.delete(key); // re-inserted last: Map order is the eviction order
    values.set(key, { text, value });
    if (values.size > max) values.delete(values.keys().next().value!);
    return value;
  };
}

/**
 * The shared cache. Keys (all in one cluster slot, through the hash tag):
 * `{prefix:catalog}:generation` holds the current generation, a random token
 * replaced by every write; `{prefix:catalog}:<read>:<hash>` holds
 * `<generation>\n<json>` with a TTL. A read fetches both in one MGET and uses
 * the entry only if its generation is the current one.
 *
 * Redis failures never fail a request: the read goes to the database, the
 * outage is logged once, and the cache is used again only after a fresh
 * generation was written on recovery (writes made meanwhile could not bump).
 */
export function createRedisCache(options: RedisCacheOptions): CatalogCache {
  const { redis, ttlSeconds, onEvent, log, timeoutMs = 1_000, decodedEntries = 1_000 } = options;
  const decode = decodedValues(decodedEntries);
  const tag = `{${options.keyPrefix}:catalog}`;
  const generationKey = `${tag}:generation`;
  const flight = singleFlight();
  let healthy = true;
  let recovering: Promise<boolean> | undefined;

  const call = <T>(command: () => Promise<T>) => {
    if (redis.status !== 'ready') return Promise.reject(new Error(`Redis is ${redis.status}`));
    return withTimeout(command(), timeoutMs, `Redis gave no answer within ${timeoutMs} ms`);
  };

  function failed(error: unknown, name: string) {
    onEvent?.('error', name);
    if (!healthy) return;
    healthy = false;
    log?.warn(
      { reason: (error as Error).message },
      'Redis cache unavailable: catalog reads go to the database until it returns',
    );
  }

  /** Healthy, or back: a new generation first, so entries from before the outage are dead. */
  function usable(name: string): Promise<boolean> {
    if (healthy) return Promise.resolve(true);
    if (redis.status !== 'ready') return Promise.resolve(false);
    recovering ??= call(() => redis.set(generationKey, newGeneration()))
      .then(
        () => {
          healthy = true;
          log?.info('Redis cache restored');
          return true;
        },
        (error: unknown) => {
          failed(error, name);
          return false;
        },
      )
      .finally(() => {
        recovering = undefined;
      });
    return recovering;
  }

  const readGeneration = freshReads(() => call(() => redis.get(generationKey)));

  return {
    async cached<T>(name: string, params: unknown, load: () => Promise<T>): Promise<T> {
      if (!(await usable(name))) {
        onEvent?.('miss', name);
        return load();
      }
      const key = `${tag}:${entryKey(name, params)}`;
      let generation: string | null;
      let stored: string | null;
      try {
        [generation = null, stored = null] = await call(() => redis.mget(generationKey, key));
      } catch (error) {
        failed(error, name);
        onEvent?.('miss', name);
        return load();
      }
      if (generation !== null && stored?.startsWith(`${generation}\n`)) {
        onEvent?.('hit', name);
        return decode(key, stored.slice(generation.length + 1)) as T;
      }
      onEvent?.('miss', name);
      if (generation === null) {
        // First use, or the key was evicted: a new generation (never an old one) from here on.
        try {
          await call(() => redis.set(generationKey, newGeneration(), 'NX'));
          generation = await call(() => redis.get(generationKey));
        } catch (error) {
          failed(error, name);
        }
        if (generation === null) return load();
      }
      return flight.run(`${generation}:${key}`, async () => {
        const value = await load();
        await call(() =>
          redis.set(key, `${generation}\n${JSON.stringify(value)}`, 'EX', ttlSeconds),
        ).catch((error: unknown) => failed(error, name));
        return value;
      });
    },

    async bumpCatalogGeneration() {
      try {
        await call(() => redis.set(generationKey, newGeneration()));
      } catch (error) {
        // Not healthy any more: the cache is bypassed here until a recovery bump succeeds.
        failed(error, 'bump');
      }
    },

    async currentGeneration() {
      if (!(await usable('generation'))) return null;
      try {
        return await readGeneration();
      } catch (error) {
        failed(error, 'generation');
        return null;
      }
    },
  };
}
