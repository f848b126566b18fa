import { noInput } from '../shared/schemas';
import { adminProcedure, router } from '../trpc';
import { dashboardSchema } from './schemas';
import { getDashboard } from './service';

export const dashboardRouter = router({
  get: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/dashboard',
        tags: ['dashboard'],
        summary: 'Orders and revenue today and over 7 days, orders by status, lowest stock (admin)',
        errorResponses: {
          401: 'Missing, expired or invalid token',
          403: 'Admins only',
          429: 'Rate limited',
        },
      },
    })
    .input(noInput)
    .output(dashboardSchema)
    .query(({ ctx }) => getDashboard(ctx.db)),
});
