import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from './api';
import type { ListInput } from './catalog';

/** One definition per query, so every screen shares the cache entry. */
export const categoryTreeQuery = queryOptions({
  queryKey: ['categories.list', { tree: true }],
  queryFn: () => api.categories.list.query({ tree: true }),
  staleTime: 5 * 60_000,
});

export const productListQuery = (input: ListInput) =>
  queryOptions({
    queryKey: ['products.list', input],
    queryFn: () => api.products.list.query(input),
    // The old page stays on screen while the next one loads: no flash of emptiness.
    placeholderData: keepPreviousData,
  });

export const productQuery = (id: string) =>
  queryOptions({
    queryKey: ['products.byId', id],
    queryFn: () => api.products.byId.query({ id }),
  });
