import type { z } from 'zod';

import type { JobDefinition } from './definition';

/** How many jobs are in each state (the gauge `/metrics` shows). */
export interface JobCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

export interface FailedJob {
  id: string;
  name: string;
  payload: unknown;
  error: string;
  tries: number;
  failedAt: Date;
}

/** Where services send work that must not hold up a response. */
export interface JobQueue {
  readonly mode: 'bullmq' | 'embedded';
  /** Checks the payload against the job's schema (a bad one throws here, in the caller). */
  enqueue<S extends z.ZodType>(job: JobDefinition<S>, payload: z.input<S>): Promise<void>;
  counts(): Promise<JobCounts>;
  /** The most recent jobs that failed every try, newest first. */
  failed(limit?: number): Promise<FailedJob[]>;
  /**
   * Queues a job that failed every try again, with all its tries ahead of it
   * (an admin's retry once the cause is fixed). False when no failed job has this id.
   */
  retry(id: string): Promise<boolean>;
  /** Stops taking jobs; resolves once the jobs under way have finished. */
  close(): Promise<void>;
}
