import { wholeNumber } from '@buybuy/validators';
import { z } from 'zod';

import { timestampSchema } from '../shared/schemas';

export const jobsOverviewInput = z
  .object({
    /** How many of the most recent failed jobs to list. */
    limit: wholeNumber.pipe(z.number().int().min(1).max(100)).default(50),
  })
  .strict();

const count = z.number().int().min(0);

export const failedJobSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    error: z.string(),
    tries: z.number().int(),
    failed_at: timestampSchema,
    payload: z.unknown().meta({
      description:
        "What the job's definition lets admins see of its payload; null when it shows nothing (a payload may carry a secret, such as an email's link)",
    }),
  })
  .meta({ id: 'FailedJob' });
export type FailedJobOutput = z.infer<typeof failedJobSchema>;

export const jobsOverviewSchema = z
  .object({
    /** Where jobs run: BullMQ on Redis (apps/worker), this API process, or nowhere. */
    mode: z.enum(['bullmq', 'embedded', 'none']),
    counts: z.object({ waiting: count, active: count, delayed: count, failed: count }),
    failed: z.array(failedJobSchema),
  })
  .meta({ id: 'JobsOverview' });
export type JobsOverview = z.infer<typeof jobsOverviewSchema>;

export const retryJobInput = z.object({ id: z.string().min(1).max(64) }).strict();
