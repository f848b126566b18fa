import { initTRPC } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { appRouter } from '../src/router';
import { checkOutputsExactly, OUTPUT_STEP, procedureDefs, trustOutputs } from '../src/trpc/output';

/** A procedure whose answer breaks its output schema, and one without a schema. */
function routerWithAWrongAnswer() {
  const t = initTRPC.create();
  return t.router({
    wrong: t.procedure.output(z.object({ n: z.number() })).query(() => ({ n: 'one' }) as never),
    plain: t.procedure.query(() => 'as is'),
  });
}

describe('checkOutputsExactly', () => {
  it('fails an answer its schema would change, and passes one it sends as it is', async () => {
    const t = initTRPC.create();
    const user = z.object({ id: z.number(), email: z.string() });
    const router = t.router({
      leaky: t.procedure.output(user).query(() => ({ id: 1, email: 'a@b.c', password_hash: 'x' })),
      exact: t.procedure.output(user).query(() => ({ id: 1, email: 'a@b.c' })),
      wrong: t.procedure.output(user).query(() => ({ id: 'one' }) as never),
    });
    checkOutputsExactly(router);
    const caller = t.createCallerFactory(router)({});
    await expect(caller.leaky()).rejects.toThrow(
      /leaky answered something its output schema would change/,
    );
    expect(await caller.exact()).toEqual({ id: 1, email: 'a@b.c' });
    await expect(caller.wrong()).rejects.toThrow('Output validation failed');
  });
});

describe('trustOutputs', () => {
  it('checks answers until told to trust them, then serves them as the procedure returns them', async () => {
    const router = routerWithAWrongAnswer();
    const t = initTRPC.create();
    await expect(t.createCallerFactory(router)({}).wrong()).rejects.toThrow(
      'Output validation failed',
    );

    expect(trustOutputs(router)).toBe(1); // `plain` had no check to drop
    expect(await t.createCallerFactory(router)({}).wrong()).toEqual({ n: 'one' });
    expect(await t.createCallerFactory(router)({}).plain()).toBe('as is');
    // The schema is still there for the OpenAPI document and the SDK.
    expect(procedureDefs(router).map(([path, def]) => [path, def.output !== undefined])).toEqual([
      ['wrong', true],
      ['plain', false],
    ]);
  });

  it('leaves the check on outside production: every procedure of the API checks its answer here', () => {
    expect(process.env.NODE_ENV).not.toBe('production');
    const withSchema = procedureDefs(appRouter).filter(([, def]) => def.output !== undefined);
    const unchecked = withSchema
      .filter(([, def]) => def.middlewares.every((step) => step.name !== OUTPUT_STEP))
      .map(([path]) => path);
    expect(withSchema.map(([path]) => path)).toContain('products.list');
    expect(unchecked).toEqual([]);
  });
});
