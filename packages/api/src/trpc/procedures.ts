import { idempotent } from '../idempotency/middleware';
import { t } from './init';
import { adminOnly, authenticated, credentialLimit, mapErrors, rateLimit } from './middlewares';

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
