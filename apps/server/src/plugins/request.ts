import type { ErrorData } from '@buybuy/api';
import type { RequestInfo } from '@buybuy/api';
import type { TRPCError } from '@trpc/server';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';

import { noteCaller } from '../logging';

const headRequests = new WeakSet<FastifyRequest>();

/**
 * Both faces answer a HEAD as the GET it asks about: tRPC's fetch handler
 * and trpc-to-openapi answer HEAD with a bare 204. The request runs as GET
 * (status, Content-Length, ETag, the envelope's headers), then is HEAD again
 * before Fastify's HEAD route drops the body and keeps its length.
 */
export function answerHeadAsGet(app: FastifyInstance) {
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.raw.method === 'HEAD') {
      headRequests.add(request);
      request.raw.method = 'GET';
    }
    done();
  });
  app.addHook('onSend', (request, _reply, payload, done) => {
    if (headRequests.has(request)) request.raw.method = 'HEAD';
    done(null, payload);
  });
}

/** What the router needs to know about an HTTP request, on either face. */
export const requestInfo = (req: FastifyRequest): RequestInfo => ({
  onCaller: (caller) => noteCaller(req, caller),
  ip: req.ip,
  authorization: req.headers.authorization,
  apiKey: header(req, 'x-api-key'),
  idempotencyKey: header(req, 'idempotency-key'),
  cartToken: header(req, 'x-cart-token'),
  orderToken: header(req, 'x-order-token'),
});

/** A header sent once; a repeated header is read as absent rather than guessed at. */
function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** `Retry-After` for a rate-limited call (the largest wait in a batch). */
export function retryAfterHeader(errors: TRPCError[]): Record<string, string> {
  const waits = errors
    .map((error) => (error.cause as { retryAfter?: number } | undefined)?.retryAfter)
    .filter((wait): wait is number => typeof wait === 'number');
  return waits.length > 0 ? { 'retry-after': String(Math.max(...waits)) } : {};
}

/**
 * `X-Cart-Token` when a call created a guest cart: the token is in the
 * cart's `cart_token`, and the contract promises it in the header too.
 * `results` are the calls' outputs (REST) or tRPC's `{result: {data}}`.
 */
export function cartTokenHeader(results: readonly unknown[]): Record<string, string> {
  for (const result of results) {
    const output = (result as { result?: { data?: unknown } } | undefined)?.result?.data ?? result;
    const token = (output as { cart_token?: unknown } | null | undefined)?.cart_token;
    if (typeof token === 'string') return { 'x-cart-token': token };
  }
  return {};
}

/**
 * The headers of a call's answer on either face: `Retry-After` and
 * `X-Cart-Token`. Merged by Object.assign into the first (a new object):
 * Node 20 copies a second spread into a literal in its runtime, slowly.
 */
export const callHeaders = (errors: TRPCError[], results: readonly unknown[]) =>
  Object.assign(retryAfterHeader(errors), cartTokenHeader(results));

export type { ErrorData };

/**
 * Logs the failures an operator must see, with the request's id: 500s with
 * their cause (which never reaches the client), 503s as warnings.
 */
export function logCallFailure(
  log: FastifyBaseLogger,
  face: 'REST' | 'tRPC',
  error: TRPCError,
  path: string | undefined,
) {
  if (error.code === 'INTERNAL_SERVER_ERROR')
    log.error({ err: error.cause ?? error, path }, `${face} call failed`);
  else if (error.code === 'SERVICE_UNAVAILABLE')
    log.warn({ path, reason: error.message }, `${face} call refused: a dependency is down`);
}
