import { idempotent } from '../idempotency/middleware';
import { t } from './init';
import {
  adminOnly,
  authenticated,
  catalogReader,
  credentialLimit,
  mapErrors,
  rateLimit,
} from './middlewares';

/**
 * The procedure builders. Each one tags its procedures with `meta.access`,
 * so who may call what can be read from the router (the role table test
 * does, and fails on a protected procedure it does not list).
 */
const base = t.procedure.use(mapErrors);

// After the caller is known (it scopes the key); a no-op on queries and without the header.
export const publicProcedure = base.use(rateLimit).use(idempotent).meta({ access: 'public' });

export const authedProcedure = base
  .use(authenticated)
  .use(idempotent)
  .meta({ access: 'authenticated' });

export const adminProcedure = base.use(adminOnly).use(idempotent).meta({ access: 'admin' });

export const credentialProcedure = publicProcedure.use(credentialLimit);

/**
 * Public catalog reads: counted as `publicProcedure` counts, with `ctx.isAdmin`.
 * Queries only: it leaves out the Idempotency-Key step, which only writes take
 * (a test holds every procedure built on it to be a query).
 */
export const catalogReadBase = base.use(catalogReader).meta({ access: 'public' });
