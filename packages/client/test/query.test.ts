import type { RouterInputs, RouterOutputs } from '@buybuy/api';
import { QueryClient } from '@tanstack/query-core';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';

import { startTestApp, type TestApp } from '../../../apps/server/test/harness';
import { createBuyBuyClient } from '../src';
import { createQueries } from '../src/query';

let t: TestApp;
let categoryId: number;
beforeAll(async () => {
  t = await startTestApp();
  const admin = t.trpc(await t.tokenFor('query-admin', { admin: true }));
  ({ id: categoryId } = await admin.categories.create.mutate({ name: 'Lamps' }));
  for (const name of ['Desk lamp', 'Floor lamp']) {
    await admin.products.create.mutate({ name, price: '10', category_id: categoryId });
  }
});
afterAll(() => t.close());

describe('query keys and options from the router', () => {
  it('keys a call by its procedure path and input, and fetches through the client', async () => {
    const queries = createQueries(createBuyBuyClient({ baseUrl: t.url }));
    const input = { category_id: categoryId, sort: 'name' } as const;
    const options = queries.products.list.queryOptions(input);
    expect(options.queryKey).toEqual(['products.list', input]);
    expect(queries.products.byId.queryKey({ id: 3 })).toEqual(['products.byId', { id: 3 }]);
    expect(queries.categories.list.pathFilter()).toEqual({ queryKey: ['categories.list'] });

    const page = await new QueryClient().fetchQuery(options);
    expect(page.items.map((item) => item.name)).toEqual(['Desk lamp', 'Floor lamp']);
  });

  it('invalidates every input of one procedure and nothing else', async () => {
    const queries = createQueries(createBuyBuyClient({ baseUrl: t.url }));
    const cache = new QueryClient();
    const page = await cache.fetchQuery(queries.products.list.queryOptions({ page: 1 }));
    await cache.fetchQuery(queries.products.list.queryOptions({ page: 2 }));
    await cache.fetchQuery(queries.products.byId.queryOptions({ id: page.items[0]!.id }));
    await cache.fetchQuery(queries.categories.list.queryOptions({ tree: true }));

    await cache.invalidateQueries(queries.products.list.pathFilter());
    const invalidated = cache
      .getQueryCache()
      .getAll()
      .map((query) => [query.queryKey[0], query.state.isInvalidated]);
    expect(invalidated).toEqual([
      ['products.list', true],
      ['products.list', true],
      ['products.byId', false],
      ['categories.list', false],
    ]);
  });

  it('types keys and data from the router', () => {
    const queries = createQueries(createBuyBuyClient({ baseUrl: t.url }));
    const cache = new QueryClient();
    expectTypeOf(cache.getQueryData(queries.products.byId.queryKey({ id: 1 }))).toEqualTypeOf<
      RouterOutputs['products']['byId'] | undefined
    >();
    expectTypeOf(queries.products.list.queryOptions({}).queryFn).returns.resolves.toEqualTypeOf<
      RouterOutputs['products']['list']
    >();
    expectTypeOf(queries.products.list.queryKey)
      .parameter(0)
      .toEqualTypeOf<RouterInputs['products']['list']>();
    // @ts-expect-error: not a sort the router knows
    queries.products.list.queryOptions({ sort: 'cheapest' });
    // @ts-expect-error: mutations have no query options
    void queries.products.create;
  });
});
