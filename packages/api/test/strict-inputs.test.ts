import { describe, expect, it } from 'vitest';
import type { z } from 'zod';

import { appRouter } from '../src/router';

// Issue 10 item 10: an unknown key is refused on every operation, not only on lists.

/** Unwraps pipes, defaults and optionals down to the object a procedure reads, if any. */
function objectOf(schema: z.ZodType): z.ZodObject | undefined {
  const def = schema._zod.def as { type: string; in?: z.ZodType; innerType?: z.ZodType };
  if (def.type === 'object') return schema as z.ZodObject;
  const inner = def.in ?? def.innerType;
  return inner ? objectOf(inner) : undefined;
}

const procedures = Object.entries(appRouter._def.procedures as Record<string, unknown>).map(
  ([path, procedure]) => ({
    path,
    input: (procedure as { _def: { inputs: z.ZodType[] } })._def.inputs[0],
  }),
);

describe('procedure inputs', () => {
  it('are objects that refuse unknown keys, for every procedure', () => {
    const lenient = procedures
      .filter(({ input }) => {
        const object = input && objectOf(input);
        return !object || object._zod.def.catchall?._zod.def.type !== 'never';
      })
      .map(({ path }) => path);
    expect(lenient).toEqual([]);
  });

  it('refuse an unknown key next to an id', () => {
    const byId = procedures.find(({ path }) => path === 'products.byId')!.input!;
    expect(byId.safeParse({ id: 1, bogus: '1' }).success).toBe(false);
    expect(byId.safeParse({ id: 1 }).success).toBe(true);
  });
});
