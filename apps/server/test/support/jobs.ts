import type { Config } from '@buybuy/config';
import type { Database } from '@buybuy/db';
import { createMailer } from '@buybuy/email';
import { createImageStorage } from '@buybuy/images';
import {
  createBullQueue,
  createEmbeddedQueue,
  jobDefinitions,
  type JobDeps,
  type JobLogger,
  type JobQueue,
  startBullWorker,
} from '@buybuy/jobs';

import type { AppOptions } from '../../src/app';

/**
 * How a test app runs its jobs: in its own process (`embedded`, as without
 * Redis), or queued in Redis under the app's key prefix for a BullMQ worker
 * started beside it in this process (`bullmq`, as apps/worker does).
 */
export type TestJobMode = 'embedded' | 'bullmq';

export interface TestJobs {
  /** For `buildApp`: the app's queue. */
  jobs: NonNullable<AppOptions['jobs']>;
  /** The app's queue once built: tests read its counts to know it is idle. */
  queue: () => JobQueue;
  /** Stops the BullMQ worker (the app closes its own queue). */
  close: () => Promise<void>;
}

const quiet: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The job queue of a test app, with the deps the server and the worker give the jobs. */
export async function startTestJobs(
  mode: TestJobMode,
  { db, config, keyPrefix }: { db: Database; config: Config; keyPrefix: string },
): Promise<TestJobs> {
  const deps: JobDeps = {
    db,
    log: quiet,
    images: createImageStorage(config.storage, config.uploads),
    // The app's config names it: a test's SMTP server, else files in the app's temporary folder.
    mailer: createMailer(config.email),
  };
  // Quick retries: a test waits for a job that fails every try.
  const retry = { attempts: 2, backoffMs: 50 };
  const redis = { url: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' };
  let queue: JobQueue | undefined;
  const built = (made: JobQueue) => (queue = made);
  if (mode === 'embedded') {
    return {
      jobs: (log) =>
        built(createEmbeddedQueue({ definitions: jobDefinitions, deps: { ...deps, log }, retry })),
      queue: () => queue!,
      close: () => Promise.resolve(),
    };
  }
  const worker = await startBullWorker({
    redis,
    redisKeyPrefix: keyPrefix,
    definitions: jobDefinitions,
    deps,
    retry,
    concurrency: 2,
    lockMs: 5_000,
  });
  return {
    jobs: (log) =>
      built(
        createBullQueue({
          redis,
          redisKeyPrefix: keyPrefix,
          definitions: jobDefinitions,
          retry,
          log,
        }),
      ),
    queue: () => queue!,
    close: () => worker.close(),
  };
}
