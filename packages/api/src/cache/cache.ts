import { createHash, randomBytes } from 'node:crypto';

export type CacheEvent = 'hit' | 'miss' | 'error';
/** Observer for metrics: one call per cached read (`hit`/`miss`) and per Redis failure (`error`). */
export type CacheObserver = (event: CacheEvent, name: string) => void;

/** What the cache needs from a logger (pino's, Fastify's `app.log`). */
export interface CacheLogger {
  warn(object: object, message: string): void;
  info(message: string): void;
}

/**
 * Cache-aside for the public catalog reads. Every entry belongs to one
 * catalog generation; a write bumps the generation, so no read that starts
 * after the write returns can see an entry filled before it.
 */
export interface CatalogCache {
  /** `load()`'s value for `name(params)` at the current generation; concurrent misses share one load. */
  cached<T>(name: string, params: unknown, load: () => Promise<T>): Promise<T>;
  /** Makes every cached catalog read stale, on every instance. Call after the write committed. */
  bumpCatalogGeneration(): Promise<void>;
  /**
   * The current catalog generation, as of some moment after this call began
   * (never an answer read before it), so anything stored under it is as
   * fresh as the cache's own entries. Null when nothing may be cached now
   * (cache off, Redis unreachable). For caches layered on top, like the
   * server's HTTP response cache.
   */
  currentGeneration(): Promise<string | null>;
}

/** The cache when CACHE_ENABLED=false: every read goes to the database. */
export const noCache: CatalogCache = {
  cached: (_name, _params, load) => load(),
  bumpCatalogGeneration: async () => {},
  currentGeneration: async () => null,
};

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` name the same entry. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const fields = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, field]) => `${JSON.stringify(key)}:${stableJson(field)}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** A short, fixed-length key for a read: its name, then a hash of its (parsed) input. */
export const entryKey = (name: string, params: unknown) =>
  `${name}:${createHash('sha256').update(stableJson(params)).digest('base64url').slice(0, 22)}`;

/** A fresh generation: random, so a lost or evicted generation key can never repeat an old one. */
export const newGeneration = () => randomBytes(12).toString('base64url');
