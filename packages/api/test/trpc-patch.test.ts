import { initTRPC } from '@trpc/server';
import { describe, expect, it } from 'vitest';

/**
 * What patches/@trpc__server@11.25.2.patch must keep (docs/architecture.md,
 * "Spreads on the hot path"): tRPC's spread helper copies with Object.assign,
 * yet a middleware's context comes out exactly as a spread would make it.
 */
const t = initTRPC.context<{ base: string; kept: string }>().create();

const ctxOf = (added: object) =>
  t.procedure
    .use(({ next }) => next({ ctx: added }))
    .query(({ ctx }) => {
      const value = ctx as Record<string, unknown>;
      return {
        prototypeIsObject: Object.getPrototypeOf(ctx) === Object.prototype,
        ownProto: Object.hasOwn(ctx, '__proto__'),
        injected: value.injected,
        base: value.base,
        kept: value.kept,
        added: value.added,
      };
    });

const caller = t.createCallerFactory(
  t.router({
    plain: ctxOf({ base: 'replaced', added: 1 }),
    proto: ctxOf(JSON.parse('{"__proto__":{"injected":true},"added":2}') as object),
  }),
)({ base: 'base', kept: 'kept' });

describe('tRPC, as patched: a middleware merging its context', () => {
  it("lays the middleware's keys over the context's", async () => {
    expect(await caller.plain()).toEqual({
      prototypeIsObject: true,
      ownProto: false,
      injected: undefined,
      base: 'replaced',
      kept: 'kept',
      added: 1,
    });
  });

  it("keeps an own __proto__ key as a key, never as the context's prototype", async () => {
    expect(await caller.proto()).toEqual({
      prototypeIsObject: true,
      ownProto: true,
      injected: undefined,
      base: 'base',
      kept: 'kept',
      added: 2,
    });
  });
});
