import { invalidatesCatalog } from '../cache/catalog';
import { forbidden } from '../errors';
import { adminProcedure, catalogReadBase, middleware } from '../trpc';

/** A public catalog read that knows whether the caller is an admin (admins see inactive rows). */
export const catalogReadProcedure = catalogReadBase.meta({ sharedCache: true });

/** Admin writes: each bumps the catalog cache's generation before it returns. */
export const catalogWrite = adminProcedure.use(invalidatesCatalog);

/** `include_inactive=true` on a list is for admins only: 403 for everyone else. */
export const includeInactiveForAdmins = middleware(async ({ ctx, input, next }) => {
  const asked = (input as { include_inactive?: boolean } | undefined)?.include_inactive === true;
  if (asked && !(ctx as { isAdmin?: boolean }).isAdmin)
    throw forbidden('Only administrators can list inactive entries');
  return next();
});

export const PUBLIC_ERRORS = {
  400: 'Validation failed',
  401: 'Invalid token',
  429: 'Rate limited',
};
export const PUBLIC_LIST_ERRORS = { ...PUBLIC_ERRORS, 403: 'include_inactive is for admins only' };
export const ADMIN_ERRORS = {
  400: 'Validation failed',
  401: 'Missing, expired or invalid token',
  403: 'Admins only',
  429: 'Rate limited',
};
