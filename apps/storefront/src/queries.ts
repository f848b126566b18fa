import { keepPreviousData, queryOptions } from '@tanstack/react-query';

import { queries } from './api';
import type { ListInput } from './catalog';

/** One definition per query, so every screen shares the cache entry. */
export const categoryTreeQuery = queryOptions({
  ...queries.categories.list.queryOptions({ tree: true }),
  staleTime: 5 * 60_000,
});

export const productListQuery = (input: ListInput) =>
  queryOptions({
    ...queries.products.list.queryOptions(input),
    // The old page stays on screen while the next one loads: no flash of emptiness.
    placeholderData: keepPreviousData,
  });

export const productQuery = (id: string) => queries.products.byId.queryOptions({ id });
