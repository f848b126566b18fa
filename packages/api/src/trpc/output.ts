import { isDeepStrictEqual } from 'node:util';

import { type AnyRouter, TRPCError } from '@trpc/server';
import type { z } from 'zod';

import type { ProcedureMeta } from './init';

/** The name tRPC gives the step `.output(schema)` adds to a procedure (createOutputMiddleware). */
export const OUTPUT_STEP = 'outputValidatorMiddleware';

/** What tRPC keeps of a procedure: its kind, meta, output schema, and the steps each call runs, in order. */
export interface ProcedureDef {
  type: 'query' | 'mutation' | 'subscription';
  meta?: ProcedureMeta;
  output?: unknown;
  middlewares: Array<(...args: never[]) => unknown>;
}

/** Every procedure of a router (nested routers' too), by path. */
export const procedureDefs = (router: AnyRouter) =>
  Object.entries(router._def.procedures as Record<string, { _def: ProcedureDef }>).map(
    ([path, procedure]) => [path, procedure._def] as const,
  );

/**
 * Stops checking the procedures' answers against their `.output()` schemas,
 * and returns how many procedures had that check.
 *
 * tRPC parses every answer with the procedure's output schema. The schemas
 * stay: the OpenAPI document, the SDK's types and REST's envelope are built
 * from them. What goes is the run-time parse of each answer, which cost an
 * uncached page of 20 products more CPU than reading them from MariaDB
 * (docs/benchmarks.md). The services' return types already match the
 * schemas (`tsc` checks that); what only a parse would catch (a timestamp
 * written in another format, a number out of range) is caught by the tests,
 * which run with the check on, made exact (`checkOutputsExactly`). The
 * server turns it off in production only (router.ts). tRPC has no option for
 * this, so the step is found by its name; a test fails when a tRPC release
 * renames it.
 */
export function trustOutputs(router: AnyRouter): number {
  let trusted = 0;
  for (const [, def] of procedureDefs(router)) {
    const kept = def.middlewares.filter((step) => step.name !== OUTPUT_STEP);
    if (kept.length < def.middlewares.length) trusted++;
    def.middlewares = kept;
  }
  return trusted;
}

/** An answer its schema would change: production sends what the procedure returned. */
class InexactOutputError extends TRPCError {
  constructor(path: string) {
    super({
      code: 'INTERNAL_SERVER_ERROR',
      message: `${path} answered something its output schema would change (a key it drops, a value it rewrites); production sends answers unchecked (trustOutputs)`,
    });
  }
}

type Step = ProcedureDef['middlewares'][number];
type StepResult = { ok: true; data: unknown } | { ok: false };

/**
 * Where the answers are checked (development, tests), each must also come
 * through its schema unchanged: an extra key (a password hash the schema
 * would have dropped) or a value the schema rewrites fails the call, since
 * production, trusting the answers, would send it as it is.
 */
export function checkOutputsExactly(router: AnyRouter): void {
  for (const [path, def] of procedureDefs(router)) {
    const schema = def.output as z.ZodType | undefined;
    if (!schema) continue;
    const exact = async function exactOutput({ next }: { next: () => Promise<StepResult> }) {
      const result = await next();
      if (!result.ok) return result;
      const parsed = await schema.safeParseAsync(result.data);
      // A failed parse is left to tRPC's own step, around this one: "Output validation failed".
      if (parsed.success && !isDeepStrictEqual(parsed.data, result.data))
        throw new InexactOutputError(path);
      return result;
    };
    const at = def.middlewares.findIndex((step) => step.name === OUTPUT_STEP);
    // Inside tRPC's step, so this one sees the answer as the procedure returned it.
    if (at >= 0) def.middlewares.splice(at + 1, 0, exact as unknown as Step);
  }
}
