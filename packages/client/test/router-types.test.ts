import { readFile } from 'node:fs/promises';

import type { AppRouter as ServerRouter } from '@buybuy/api';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { describe, expect, expectTypeOf, it } from 'vitest';

import { generateRouterTypes, ROUTER_TYPES_FILE } from '../scripts/router-types-source';
import type { AppRouter } from '../src/router';

describe('src/router-types.ts, the router as the published SDK sees it', () => {
  it('is written from the server router of today', async () => {
    const committed = await readFile(ROUTER_TYPES_FILE, 'utf8');
    const fresh = await generateRouterTypes();
    expect(
      committed === fresh,
      'src/router-types.ts is stale: run pnpm --filter @buybuy/client generate',
    ).toBe(true);
  }, 240_000);

  it('has the same inputs and outputs as the server router (checked by tsc)', () => {
    expectTypeOf<inferRouterInputs<AppRouter>>().toEqualTypeOf<inferRouterInputs<ServerRouter>>();
    expectTypeOf<inferRouterOutputs<AppRouter>>().toEqualTypeOf<inferRouterOutputs<ServerRouter>>();
  });
});
