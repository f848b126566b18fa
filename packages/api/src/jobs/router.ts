import { z } from 'zod';

import { adminProcedure, router } from '../trpc';
import { jobsOverviewInput, jobsOverviewSchema, retryJobInput } from './schemas';
import { jobsOverview, retryFailedJob } from './service';

const TAGS = ['jobs'];
const ADMIN_ERRORS = {
  400: 'Validation failed',
  401: 'Missing, expired or invalid token',
  403: 'Admins only (never an API key)',
  429: 'Rate limited',
};

/** The background job queue as admins see it: counts by state, failures, retry. */
export const jobsRouter = router({
  overview: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/jobs',
        tags: TAGS,
        summary: 'Background jobs by state, and the most recent that failed every try (admin)',
        errorResponses: ADMIN_ERRORS,
      },
    })
    .input(jobsOverviewInput)
    .output(jobsOverviewSchema)
    .query(({ ctx, input }) => jobsOverview(ctx.jobs, input.limit)),

  retry: adminProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/jobs/failed/{id}/retry',
        tags: TAGS,
        summary: 'Queue a job that failed every try again, with all its tries (admin)',
        errorResponses: { ...ADMIN_ERRORS, 404: 'No failed job has this id' },
      },
    })
    .input(retryJobInput)
    .output(z.null())
    .mutation(({ ctx, input }) => retryFailedJob(ctx.jobs, input.id)),
});
