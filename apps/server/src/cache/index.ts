/**
 * The three caches a public catalog read meets, in the order it meets them.
 * Take `GET /v1/products?page=2` (or `/trpc/products.list?input=...`) sent
 * without an Authorization header:
 *
 * 1. Response cache (`response-cache.ts`, a root `onRequest` hook): if this
 *    exact URL was answered under the catalog generation that is current
 *    now, its stored bytes answer at once (or a 304, through
 *    `markPublic`), after a charge to the caller's rate limit. No routing,
 *    procedure, serialisation or hashing. Otherwise the request goes on.
 * 2. The procedure (`packages/api/src/products/router.ts`) parses its
 *    input and reads through the catalog cache (`catalogRead` in
 *    `packages/api/src/cache/catalog.ts`): the value of this read and input
 *    at the current generation, from Redis (`packages/api/src/cache/redis.ts`)
 *    or this process (`memory.ts`); concurrent misses share one load.
 * 3. On a miss, MySQL (a replica when configured), and the value is stored.
 *
 * On the way out, the HTTP cache (`http-cache.ts`, a root `onSend` hook)
 * tags the payload with a strong ETag (SHA-256) and `Cache-Control: public,
 * no-cache`, and turns a matching `If-None-Match` into a 304 without a body.
 * Then the face's last `onSend` (after the REST envelope) hands the final
 * 200 bytes and their tag to the response cache for the next request.
 *
 * A catalog write bumps the generation before it answers
 * (`invalidatesCatalog`), so every layer's entries go stale together, on
 * every instance. A request with a token never meets the response cache and
 * its replies are `private, no-store`; an admin's catalog reads (inactive
 * rows included) skip the catalog cache too.
 */
export {
  httpCachePlugin,
  markPublic,
  PRIVATE_CACHE_CONTROL,
  PUBLIC_CACHE_CONTROL,
  publicReads,
} from './http-cache';
export { createResponseCache, type ResponseCache, responseCachePlugin } from './response-cache';
