import type { Cluster, Redis } from 'ioredis';

/** What a key holds: a run under way, or the finished run's serialised result. */
export type IdempotencyRecord =
  | { state: 'running'; fingerprint: string }
  | { state: 'done'; fingerprint: string; result: string };

export interface IdempotencyStore {
  /**
   * Claims `key` for one run. Null when the key was free (the caller runs the
   * procedure, then calls `finish` or `release`); else what the key holds.
   */
  claim(key: string, fingerprint: string): Promise<IdempotencyRecord | null>;
  /** Keeps the result for replays, for the retention period. */
  finish(key: string, fingerprint: string, result: string): Promise<void>;
  /** Frees the key after a failed run, so a retry runs again. */
  release(key: string): Promise<void>;
}

export interface IdempotencyStoreOptions {
  /** How long a finished result is replayed (24 h). */
  retentionMs: number;
  /** How long a claim holds when its run never finishes (a crashed process). */
  claimMs: number;
  redis?: Redis | Cluster;
  keyPrefix?: string;
  /** Bound on the in-process store (single instance without Redis). */
  maxEntries?: number;
}

/** Redis when configured (shared by every instance), else a bounded map in this process. */
export function createIdempotencyStore(options: IdempotencyStoreOptions): IdempotencyStore {
  return options.redis ? redisStore(options.redis, options) : memoryStore(options);
}

function redisStore(redis: Redis | Cluster, options: IdempotencyStoreOptions): IdempotencyStore {
  const prefix = options.keyPrefix ?? 'idem';
  const keyOf = (key: string) => `${prefix}:${key}`;
  return {
    async claim(key, fingerprint) {
      const running = JSON.stringify({ state: 'running', fingerprint } satisfies IdempotencyRecord);
      // SET NX: of two concurrent first requests, exactly one gets the claim.
      const claimed = await redis.set(keyOf(key), running, 'PX', options.claimMs, 'NX');
      if (claimed === 'OK') return null;
      const held = await redis.get(keyOf(key));
      // Expired between the two commands: claim again.
      return held === null ? this.claim(key, fingerprint) : (JSON.parse(held) as IdempotencyRecord);
    },
    async finish(key, fingerprint, result) {
      const done: IdempotencyRecord = { state: 'done', fingerprint, result };
      await redis.set(keyOf(key), JSON.stringify(done), 'PX', options.retentionMs);
    },
    async release(key) {
      await redis.del(keyOf(key));
    },
  };
}

function memoryStore(options: IdempotencyStoreOptions): IdempotencyStore {
  const entries = new Map<string, { record: IdempotencyRecord; expiresAt: number }>();
  const maxEntries = options.maxEntries ?? 100_000;
  const put = (key: string, record: IdempotencyRecord, ttlMs: number) => {
    entries.delete(key); // re-inserted last: the map's order is its age
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    entries.set(key, { record, expiresAt: Date.now() + ttlMs });
  };
  return {
    async claim(key, fingerprint) {
      const held = entries.get(key);
      if (held && held.expiresAt > Date.now()) return held.record;
      put(key, { state: 'running', fingerprint }, options.claimMs);
      return null;
    },
    async finish(key, fingerprint, result) {
      put(key, { state: 'done', fingerprint, result }, options.retentionMs);
    },
    async release(key) {
      entries.delete(key);
    },
  };
}
