import type { Operation } from '@trpc/client';

/**
 * What one call may carry beyond its input, in tRPC's per-call `context`.
 * Build it with withIdempotencyKey() / withOrderToken(), which type it.
 */
export interface CallContext {
  /**
   * Sent as `Idempotency-Key`: the same key with the same input within 24 h
   * is answered once, so a retried checkout places one order.
   */
  idempotencyKey?: string;
  /** Sent as `X-Order-Token`: a guest's key to their order (`orders.byId`, `orders.cancel`). */
  orderToken?: string;
}

/** The call options of a call sent with this context: `api.x.mutate(input, options)`. */
const callOptions = (context: CallContext) => ({ context: { ...context } });

/**
 * Options for a write that may be retried safely:
 * `api.orders.place.mutate(input, withIdempotencyKey(key))`. Keep one key
 * per attempt (the same input), and send it again on a retry.
 */
export const withIdempotencyKey = (idempotencyKey: string) => callOptions({ idempotencyKey });

/** Options for a guest's order call: `api.orders.byId.query({ id }, withOrderToken(token))`. */
export const withOrderToken = (orderToken: string) => callOptions({ orderToken });

function contextOf(op: Pick<Operation, 'context'>): CallContext {
  const { idempotencyKey, orderToken } = op.context;
  return {
    ...(typeof idempotencyKey === 'string' && { idempotencyKey }),
    ...(typeof orderToken === 'string' && { orderToken }),
  };
}

/** The headers a call's own context asks for; such a call travels alone, never in a batch. */
export function callHeaders(op: Pick<Operation, 'context'>): Record<string, string> {
  const { idempotencyKey, orderToken } = contextOf(op);
  return {
    ...(idempotencyKey !== undefined && { 'idempotency-key': idempotencyKey }),
    ...(orderToken !== undefined && { 'x-order-token': orderToken }),
  };
}

export const hasCallHeaders = (op: Pick<Operation, 'context'>) =>
  Object.keys(contextOf(op)).length > 0;

/**
 * A fresh Idempotency-Key: 128 random bits in hex. getRandomValues works on
 * plain-HTTP pages too, where crypto.randomUUID does not exist.
 */
export function createIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
