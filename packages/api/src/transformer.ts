import superjson from 'superjson';

/** Keys superjson refuses (prototype pollution): it throws on them, so leave them to it. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * True when `value` is a tree of plain JSON: null, booleans, strings, finite
 * numbers other than -0, arrays, and plain objects, with no `undefined`
 * anywhere and no object reached twice. For such a value superjson's output
 * is exactly `{ json: value }` (no `meta`): nothing needs an annotation.
 */
function isPlainJson(value: unknown, seen: Set<object>): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      // Shared references get a superjson annotation (referentialEqualities).
      if (seen.has(value)) return false;
      seen.add(value);
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          // `i in value`: a hole serialises as `undefined` in superjson.
          if (!(i in value) || !isPlainJson(value[i], seen)) return false;
        }
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key in value) {
        if (UNSAFE_KEYS.has(key)) return false;
        if (!isPlainJson((value as Record<string, unknown>)[key], seen)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * superjson, with a fast path for responses that are plain JSON already
 * (every catalog read: money and timestamps are strings). superjson's walker
 * copies the whole tree and tracks every object's path and identity: on a
 * cached `products.list` it was ~17% of the tRPC face's CPU, plus the garbage
 * it leaves. The wire format is unchanged (`{"json": ...}`, and `meta` when
 * anything needs it, which goes through superjson itself), so clients keep
 * deserialising with plain superjson.
 */
export const transformer = {
  serialize(value: unknown): unknown {
    return isPlainJson(value, new Set()) ? { json: value } : superjson.serialize(value);
  },
  deserialize(payload: unknown): unknown {
    return superjson.deserialize(payload as Parameters<typeof superjson.deserialize>[0]);
  },
};
