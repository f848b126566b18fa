import { hash } from 'node:crypto';

import type { Operation, OperationTable } from '@buybuy/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Shared caches (a CDN, the browser) may keep a public catalog answer but
 * must revalidate it on every use: writes are visible at once, and an
 * unchanged answer costs a 304 without a body.
 */
export const PUBLIC_CACHE_CONTROL = 'public, no-cache';
/** Anything asked with a token, and a guest's own cart or order: never stored anywhere. */
export const PRIVATE_CACHE_CONTROL = 'private, no-store';

const isPublicRead = (operation: Operation | undefined) =>
  operation?.method === 'GET' &&
  operation.type === 'query' &&
  operation.public &&
  operation.sharedCache;

/** The shared public reads: `GET` queries without a token whose meta allows shared caching, on both faces. */
export function publicReads(operations: OperationTable): (path: string) => boolean {
  return (path: string) => {
    if (path.startsWith('/trpc/')) {
      const called = decodeURIComponent(path.slice('/trpc/'.length)).split(',');
      return called.every((name) => isPublicRead(operations.procedure(name)?.operation));
    }
    if (!/^\/v1\//i.test(path)) return false;
    return operations.atPath(path.slice('/v1'.length)).some(isPublicRead);
  };
}

/** `If-None-Match` holds our tag (weak comparison, as RFC 9110 asks for this header). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

function addVary(reply: FastifyReply, field: string) {
  const current = reply.getHeader('vary');
  const fields = current ? String(current).split(/\s*,\s*/) : [];
  if (!fields.some((name) => name.toLowerCase() === field.toLowerCase())) fields.push(field);
  reply.header('vary', fields.join(', '));
}

/**
 * How the fetch Response's body was framed: not ours to copy once the body is
 * text, which Fastify sends with its own `content-length` (with a copied
 * `transfer-encoding` beside it, Node's own clients refuse the response).
 */
const FRAMING_HEADERS = new Set([
  'transfer-encoding',
  'content-length',
  'connection',
  'keep-alive',
]);

/**
 * The tRPC adapter sends a fetch Response for a batch (one call's answer comes
 * as bytes already: patches/@trpc__server@11.25.2.patch): take its status and
 * headers, keep its bytes. Bytes, not text: hashed and sent as they are, where
 * text would be decoded here, then encoded again for the hash and once more
 * behind Node's header block.
 */
async function unwrapResponse(reply: FastifyReply, payload: Response): Promise<Buffer> {
  reply.code(payload.status);
  payload.headers.forEach((value, name) => {
    if (FRAMING_HEADERS.has(name)) return;
    // Added to, not replaced: CORS's `Vary: Origin` must survive tRPC's own.
    if (name === 'vary') for (const field of value.split(',')) addVary(reply, field.trim());
    else reply.header(name, value);
  });
  return Buffer.from(await payload.arrayBuffer());
}

const isResponse = (payload: unknown): payload is Response =>
  typeof payload === 'object' &&
  payload !== null &&
  Object.prototype.toString.call(payload) === '[object Response]';

/**
 * Marks a public catalog answer: its tag, `Cache-Control` and `Vary`. True
 * when the caller already holds this version (`If-None-Match`): answer 304.
 */
export function markPublic(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  reply.header('etag', etag).header('cache-control', PUBLIC_CACHE_CONTROL);
  addVary(reply, 'Authorization'); // a token may see more (admins): never share across
  addVary(reply, 'X-API-Key'); // so may a key, and a shared cache must not answer for it
  return matches(request.headers['if-none-match'], etag);
}

/**
 * HTTP caching on both faces (`/v1` and `/trpc`): a strong `ETag` (SHA-256
 * of the payload) and `304` on `If-None-Match` for the public catalog reads,
 * `Cache-Control: private, no-store` on anything sent with an Authorization
 * header, and nothing on errors or mutations. Registered at the root, its
 * `onSend` runs before the REST envelope's, so the tag hashes the payload the
 * envelope is a pure function of.
 */
export const httpCachePlugin = fp(
  async (app: FastifyInstance, { operations }: { operations: OperationTable }) => {
    const isPublicRead = publicReads(operations);
    app.addHook('onSend', async (request: FastifyRequest, reply, payload) => {
      if (request.cachedResponse) return payload; // tagged when it was stored
      // originalUrl: trpc-to-openapi rewrites request.url (drops `/v1`).
      const path = request.originalUrl.split('?', 1)[0]!;
      if (!/^\/(v1|trpc)(\/|$)/.test(path)) return payload;
      if (
        request.headers.authorization !== undefined ||
        request.headers['x-api-key'] !== undefined
      ) {
        reply.header('cache-control', PRIVATE_CACHE_CONTROL);
        return payload;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') return payload;
      if (!isPublicRead(path)) {
        // A guest's cart or order: read with its token, theirs alone.
        if (request.headers['x-cart-token'] ?? request.headers['x-order-token'])
          reply.header('cache-control', PRIVATE_CACHE_CONTROL);
        return payload;
      }

      let body: unknown = payload;
      if (isResponse(payload)) {
        // A stream (jsonl) stays a stream, untagged: Fastify sends it chunked.
        if (payload.status !== 200 || payload.headers.has('transfer-encoding')) return payload;
        body = await unwrapResponse(reply, payload);
      }
      if (reply.statusCode !== 200 || (typeof body !== 'string' && !Buffer.isBuffer(body)))
        return body;

      // One-shot `hash`: the same digest as createHash(), without a Hash object per response.
      const etag = `"${hash('sha256', body, 'base64url')}"`;
      if (!markPublic(request, reply, etag)) return body;
      reply.code(304).removeHeader('content-type').removeHeader('content-length');
      return null;
    });
  },
  {
    name: 'buybuy-http-cache',
    fastify: '5.x',
    // Leaves the response cache's stored answers alone.
    decorators: { request: ['cachedResponse'] },
  },
);
