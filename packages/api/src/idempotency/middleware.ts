import { createHash } from 'node:crypto';

import { middlewareMarker } from '@trpc/server/unstable-core-do-not-import';

import { AppError, conflict } from '../errors';
import { transformer } from '../transformer';
import { t } from '../trpc/init';

/** The header's value: 1–255 visible ASCII characters (a UUID is the usual choice). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** JSON with keys in a fixed order, so one body always has one fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  // undefined (no JSON text) reads as null, as JSON.stringify does inside arrays.
  return value === undefined ? 'null' : JSON.stringify(value);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/**
 * `Idempotency-Key` on writes, on both faces (the REST face and tRPC read the
 * same header). The first run's result is kept (Redis, else this process) with
 * a fingerprint of the procedure and its input: the same key and input replay
 * that result (so the same status and body) for the retention period; the same
 * key with another input is a 422; a second request while the first still runs
 * is a 409. A run that fails frees the key, so a retry runs again. Keys are
 * scoped to the caller (the user, else the guest's cart, else the IP), so one
 * client can never replay another's answer.
 */
export const idempotent = t.middleware(async ({ ctx, type, path, getRawInput, next }) => {
  const key = ctx.idempotencyKey;
  if (key === undefined || type !== 'mutation') return next();
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    const message = 'Idempotency-Key must be 1 to 255 visible ASCII characters';
    throw new AppError('BAD_REQUEST', 'VALIDATION', message, [
      { field: 'Idempotency-Key', code: 'VALIDATION', message },
    ]);
  }
  const [apiKey, viewer] = await Promise.all([ctx.apiKey(), ctx.viewer()]);
  // A key acts as its admin but keeps its own replays: they are different clients.
  const scope = apiKey
    ? `api-key:${apiKey.id}`
    : viewer
      ? `user:${viewer.id}`
      : ctx.cartToken
        ? `cart:${sha256(ctx.cartToken)}`
        : `ip:${ctx.ip}`;
  const storeKey = `${scope}:${sha256(key)}`;
  const fingerprint = sha256(`${path}\n${canonical(await getRawInput())}`);

  const held = await ctx.idempotency.claim(storeKey, fingerprint);
  if (held) {
    if (held.fingerprint !== fingerprint) {
      throw new AppError(
        'UNPROCESSABLE_CONTENT',
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used for a different request',
      );
    }
    if (held.state === 'running') {
      throw conflict(
        'IDEMPOTENCY_KEY_IN_PROGRESS',
        'A request with this Idempotency-Key is still being processed; retry shortly',
      );
    }
    // The stored result, as if the procedure had just returned it.
    return {
      ok: true as const,
      data: transformer.deserialize(JSON.parse(held.result)),
      marker: middlewareMarker,
    };
  }

  const result = await next();
  if (result.ok) {
    await ctx.idempotency.finish(
      storeKey,
      fingerprint,
      JSON.stringify(transformer.serialize(result.data)),
    );
  } else {
    await ctx.idempotency.release(storeKey);
  }
  return result;
});
