import type { ErrorData } from '@buybuy/api';
import type { RequestInfo } from '@buybuy/api';
import type { TRPCError } from '@trpc/server';
import type { FastifyRequest } from 'fastify';

/** What the router needs to know about an HTTP request, on either face. */
export const requestInfo = (req: FastifyRequest): RequestInfo => ({
  ip: req.ip,
  authorization: req.headers.authorization,
});

/** `Retry-After` for a rate-limited call (the largest wait in a batch). */
export function retryAfterHeader(errors: TRPCError[]): Record<string, string> {
  const waits = errors
    .map((error) => (error.cause as { retryAfter?: number } | undefined)?.retryAfter)
    .filter((wait): wait is number => typeof wait === 'number');
  return waits.length > 0 ? { 'retry-after': String(Math.max(...waits)) } : {};
}

export type { ErrorData };
