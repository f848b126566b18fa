import { middleware } from '../trpc';
import type { CatalogCache } from './cache';

/**
 * A catalog read: public visibility goes through the cache; admin visibility
 * (inactive rows included) always reads the database, so nothing only an
 * admin may see is ever stored where the public could read it.
 */
export function catalogRead<T>(
  ctx: { cache: CatalogCache },
  name: string,
  input: unknown,
  visibility: { includeInactive: boolean },
  load: () => Promise<T>,
): Promise<T> {
  return visibility.includeInactive ? load() : ctx.cache.cached(name, input, load);
}

/**
 * For catalog writes: once the procedure is done (even when it failed, as a
 * failure may come after a commit) the generation is bumped, before the
 * response leaves, so no later read on any instance sees the old value.
 */
export const invalidatesCatalog = middleware(async ({ ctx, next }) => {
  const result = await next();
  await ctx.cache.bumpCatalogGeneration();
  return result;
});
