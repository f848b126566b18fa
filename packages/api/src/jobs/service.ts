import { type FailedJob, jobDefinitions, type JobQueue, jobsByName } from '@buybuy/jobs';

import { notFound } from '../errors';
import { toTimestamp } from '../shared/schemas';
import type { FailedJobOutput, JobsOverview } from './schemas';

const definitions = jobsByName(jobDefinitions);

/** What admins may see of a payload: its definition's summary, else nothing (it may hold a secret). */
function shownPayload(job: FailedJob): unknown {
  const definition = definitions.get(job.name);
  if (!definition?.payloadSummary) return null;
  const parsed = definition.payload.safeParse(job.payload);
  return parsed.success ? definition.payloadSummary(parsed.data) : null;
}

const toFailedJobOutput = (job: FailedJob): FailedJobOutput => ({
  id: job.id,
  name: job.name,
  error: job.error,
  tries: job.tries,
  failed_at: toTimestamp(job.failedAt),
  payload: shownPayload(job),
});

/** How many jobs are in each state, and the most recent that failed every try. */
export async function jobsOverview(
  jobs: JobQueue | undefined,
  limit: number,
): Promise<JobsOverview> {
  if (!jobs) {
    return { mode: 'none', counts: { waiting: 0, active: 0, delayed: 0, failed: 0 }, failed: [] };
  }
  const [counts, failed] = await Promise.all([jobs.counts(), jobs.failed(limit)]);
  return { mode: jobs.mode, counts, failed: failed.map(toFailedJobOutput) };
}

/** Queues a failed job again with all its tries; 404 when no failed job has this id. */
export async function retryFailedJob(jobs: JobQueue | undefined, id: string): Promise<null> {
  if (!jobs || !(await jobs.retry(id))) throw notFound('Failed job');
  return null;
}
