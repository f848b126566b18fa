import type { CacheObserver, CatalogCache } from './cache';
import { entryKey } from './cache';
import { singleFlight } from './single-flight';

export interface MemoryCacheOptions {
  ttlSeconds: number;
  /** Oldest entries go first beyond this many. */
  maxEntries?: number;
  onEvent?: CacheObserver;
}

/**
 * The in-process cache (no Redis configured). Exact for writes made through
 * this process: a bump empties it, and a load that started before the bump
 * is not stored. Other instances' writes are only seen after the TTL, so run
 * several instances with Redis.
 */
export function createMemoryCache(options: MemoryCacheOptions): CatalogCache {
  const { ttlSeconds, maxEntries = 10_000, onEvent } = options;
  const entries = new Map<string, { value: unknown; expiresAt: number }>();
  const flight = singleFlight();
  let generation = 0;

  return {
    async cached<T>(name: string, params: unknown, load: () => Promise<T>): Promise<T> {
      const key = entryKey(name, params);
      const entry = entries.get(key);
      if (entry && entry.expiresAt > Date.now()) {
        onEvent?.('hit', name);
        return entry.value as T;
      }
      onEvent?.('miss', name);
      const started = generation;
      return flight.run(`${started}:${key}`, async () => {
        const value = await load();
        if (generation === started) {
          entries.delete(key); // re-inserted last: Map order is the eviction order
          entries.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
          if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
        }
        return value;
      });
    },
    async bumpCatalogGeneration() {
      generation += 1;
      entries.clear();
    },
    currentGeneration: async () => String(generation),
  };
}
