import type { Api, ApiOptions, OperationTable } from '@buybuy/api';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import fp from 'fastify-plugin';

import { markPublic, publicReads } from './http-cache';

declare module 'fastify' {
  interface FastifyRequest {
    /** Answered from the response cache: the faces' onSend hooks leave the stored bytes alone. */
    cachedResponse: boolean;
  }
}

/** One stored answer: the bytes exactly as the face sent them, for one catalog generation. */
interface StoredResponse {
  generation: string;
  expiresAt: number;
  /** Sent as a Buffer: Fastify then keeps the content type as stored, and skips encoding. */
  body: Buffer;
  contentType: string;
  vary: string;
  etag: string;
  /** Procedure calls the URL makes (a tRPC batch names several): what the rate limit counts. */
  calls: number;
}

export interface ResponseCacheOptions {
  api: Api;
  operations: OperationTable;
  ttlSeconds: number;
  /** Total size of the stored bodies; the oldest entries go first beyond it. */
  maxBytes: number;
  onEvent?: ApiOptions['onCacheEvent'];
}

export interface ResponseCache {
  /** Root `onRequest` hook: answers a public read from the stored bytes when they are current. */
  lookup(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void;
  /** `onSend` hook, the last of each face: stores the final bytes of a public read. */
  store(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown>;
}

/**
 * A tRPC batch asked as a stream (`trpc-accept: application/jsonl`, or in
 * `Accept`): tRPC answers it as JSON lines, chunked, from the same URL as the
 * plain batch. Those are never stored or served here, so the two can never
 * be confused, and a stream stays a stream.
 */
function streamed(request: FastifyRequest): boolean {
  const { accept, 'trpc-accept': trpcAccept } = request.headers;
  return trpcAccept !== undefined || (accept?.includes('application/jsonl') ?? false);
}

/** A body larger than this is not worth holding (no public read comes near it). */
const MAX_ENTRY_BYTES = 1024 * 1024;

/** How long a request refilling an expired entry has; past it, another request may refill it. */
const REFILL_GRACE_MS = 2000;

/**
 * Refills that may run at once. When many stored URLs expire together (they
 * were stored together, by a warm-up, a crawl or the first minute after a
 * deploy), their first requests would all run their procedures in the same
 * moment, and every request behind them on the event loop would wait: the
 * cached pages' p99. Past this many, an expired entry of the current
 * generation is served a while longer (at most its TTL again) and its
 * refill waits for a later request.
 */
const MAX_REFILLS = 2;

/**
 * The HTTP response cache, in front of both faces: a public catalog read
 * (GET, no Authorization header) answered once is answered again from its
 * bytes, without routing, input parsing, procedures, serialisation or
 * hashing, which is most of what a catalog-cache hit still costs.
 *
 * It never changes what a client can see:
 * - entries are keyed by the exact URL and belong to the catalog generation
 *   read before the answer was made; a hit needs that generation to still be
 *   the current one, read after the request arrived (`currentGeneration`), so
 *   after an admin write returns, no instance serves what it stored before;
 * - only 200 answers are stored, so a URL that fails validation always runs
 *   the procedure and gets its error;
 * - a hit still counts against the caller's rate limit, one call per
 *   procedure the URL names; a caller over budget goes through the
 *   procedures, which refuse it as usual;
 * - with the catalog cache off or Redis unreachable, nothing is stored or served.
 */
export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  const { api, operations, ttlSeconds, maxBytes, onEvent } = options;
  const isPublicRead = publicReads(operations);
  const entries = new Map<string, StoredResponse>();
  const pending = new WeakMap<FastifyRequest, { key: string; generation: string; calls: number }>();
  /** Keys whose expired entry a request is refilling, and when it began. */
  const refilling = new Map<string, number>();
  let storedBytes = 0;

  /** Refills begun within REFILL_GRACE_MS; older ones (failed, aborted, slow) are forgotten. */
  function refillsRunning(now: number) {
    let running = 0;
    for (const [key, began] of refilling) {
      if (now - began < REFILL_GRACE_MS) running++;
      else refilling.delete(key);
    }
    return running;
  }

  /**
   * Whether `entry` may answer now. Only for the current generation: that is
   * what keeps every answer exact. Past its TTL (a safety net, not the
   * invalidation) the first request to see it refills it, and the requests
   * arriving meanwhile still get it, for up to REFILL_GRACE_MS, rather than
   * all running the procedure at once: a stampede at every expiry was the
   * cached pages' p99. With MAX_REFILLS refills already running, it is served
   * as it is, until a later request finds a free slot, or it is its TTL
   * past expiry.
   */
  function servable(entry: StoredResponse, key: string, generation: string) {
    if (entry.generation !== generation) return false;
    const now = Date.now();
    if (entry.expiresAt > now) return true;
    const began = refilling.get(key);
    if (began !== undefined && now - began < REFILL_GRACE_MS) return true;
    const withinStale = now - entry.expiresAt < ttlSeconds * 1000;
    if (withinStale && refillsRunning(now) >= MAX_REFILLS) return true;
    refilling.set(key, now);
    return false;
  }

  function remember(key: string, entry: StoredResponse) {
    const previous = entries.get(key);
    if (previous) storedBytes -= previous.body.length;
    entries.delete(key); // re-inserted last: Map order is the eviction order
    entries.set(key, entry);
    storedBytes += entry.body.length;
    refilling.delete(key);
    for (const [oldest, { body }] of entries) {
      if (storedBytes <= maxBytes) break;
      entries.delete(oldest);
      refilling.delete(oldest);
      storedBytes -= body.length;
    }
  }

  /** The stored answer to serve, once the generation is confirmed current and the call charged. */
  async function currentEntry(
    request: FastifyRequest,
    key: string,
    path: string,
  ): Promise<StoredResponse | undefined> {
    const generation = await api.cache.currentGeneration();
    if (generation === null) return undefined;

    const entry = entries.get(key);
    if (!entry || !servable(entry, key, generation)) {
      onEvent?.('miss', 'http');
      const calls = path.startsWith('/trpc/') ? path.split(',').length : 1;
      pending.set(request, { key, generation, calls });
      return undefined;
    }
    // Over budget, or the limiter failing: the procedures answer, as for any uncached call.
    const charged = await api.limiter
      .charge('general', `ip:${request.ip}`, entry.calls)
      .catch(() => false);
    if (!charged) return undefined;
    onEvent?.('hit', 'http');
    return entry;
  }

  return {
    lookup(request, reply, done) {
      // A caller with a token or an API key is answered by the procedures (budget, scopes).
      if (
        request.method !== 'GET' ||
        request.headers.authorization !== undefined ||
        request.headers['x-api-key'] !== undefined
      )
        return done();
      const key = request.url;
      const path = key.split('?', 1)[0]!;
      if (!isPublicRead(path) || streamed(request)) return done();
      // Callback style: an async hook returning the reply would make the
      // promise machinery wait on the reply as a thenable, on every hit.
      currentEntry(request, key, path).then((entry) => {
        if (!entry) return done();
        request.cachedResponse = true;
        reply.header('vary', entry.vary);
        if (markPublic(request, reply, entry.etag)) reply.code(304).send();
        else reply.header('content-type', entry.contentType).send(entry.body);
      }, done);
    },

    async store(request, reply, payload) {
      const slot = pending.get(request);
      if (!slot || reply.statusCode !== 200) return payload;
      // Bytes from both faces (the REST envelope, the tRPC Response); text where the envelope parsed.
      if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
      const etag = reply.getHeader('etag');
      const contentType = reply.getHeader('content-type');
      const vary = reply.getHeader('vary');
      if (typeof etag !== 'string' || typeof contentType !== 'string' || typeof vary !== 'string')
        return payload;
      if (payload.length > MAX_ENTRY_BYTES) return payload;
      remember(slot.key, {
        generation: slot.generation,
        expiresAt: Date.now() + ttlSeconds * 1000,
        body: typeof payload === 'string' ? Buffer.from(payload) : payload,
        contentType,
        vary,
        etag,
        calls: slot.calls,
      });
      return payload;
    },
  };
}

/**
 * Owns `request.cachedResponse` (false unless a stored answer was sent), and
 * when the cache is on, answers from it at the root. After the security
 * plugin: a stored answer gets the same CORS and security headers as a fresh one.
 */
export const responseCachePlugin = fp(
  async (app: FastifyInstance, { responseCache }: { responseCache?: ResponseCache }) => {
    app.decorateRequest('cachedResponse', false);
    if (responseCache) app.addHook('onRequest', responseCache.lookup);
  },
  { name: 'buybuy-response-cache', fastify: '5.x', dependencies: ['buybuy-security'] },
);
