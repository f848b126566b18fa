import pLimit from 'p-limit';

import {
  backoffDelay,
  type JobDefinition,
  type JobDeps,
  jobsByName,
  type JobSchedule,
  RETRY_POLICY,
} from './definition';
import type { FailedJob, JobCounts, JobQueue } from './queue';

export interface EmbeddedQueueOptions {
  definitions: readonly JobDefinition[];
  deps: JobDeps;
  /** Jobs run at once in this process (default 2: the API serves requests too). */
  concurrency?: number;
  schedules?: readonly JobSchedule[];
  retry?: { attempts: number; backoffMs: number };
  /** How many failed jobs are remembered (default 100). */
  keepFailed?: number;
}

/**
 * Jobs in the API process, for a machine without Redis: `enqueue` returns at
 * once and the job starts on a later turn of the event loop, so the request
 * never waits for it. Same definitions, same retry policy as BullMQ; what it
 * cannot do is outlive the process (a restart drops waiting and retrying jobs;
 * the sweeps simply run again).
 */
export function createEmbeddedQueue(options: EmbeddedQueueOptions): JobQueue {
  const byName = jobsByName(options.definitions);
  const retry = options.retry ?? RETRY_POLICY;
  const keepFailed = options.keepFailed ?? 100;
  const limit = pLimit(options.concurrency ?? 2);
  const { deps } = options;
  const counts: JobCounts = { waiting: 0, active: 0, delayed: 0, failed: 0 };
  const failures: FailedJob[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let nextId = 1;
  let closing = false;
  // A call, not the variable: TypeScript would keep a check's narrowing across the handler's await.
  const isClosing = () => closing;

  const track = (promise: Promise<void>) => {
    running.add(promise);
    void promise.finally(() => running.delete(promise));
  };

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const run = (id: string, job: JobDefinition, payload: unknown, tries: number) => {
    counts.waiting++;
    track(
      limit(async () => {
        counts.waiting--;
        if (isClosing()) return;
        counts.active++;
        const attempts = job.attempts ?? retry.attempts;
        try {
          await job.handler(job.payload.parse(payload), deps);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          if (tries < attempts && !isClosing()) {
            const delay = backoffDelay(tries, retry.backoffMs);
            deps.log.warn({ job: job.name, id, tries, delay, err: error }, 'job failed: retrying');
            counts.delayed++;
            later(delay, () => {
              counts.delayed--;
              run(id, job, payload, tries + 1);
            });
          } else {
            deps.log.error({ job: job.name, id, tries, err: error }, 'job failed every try');
            counts.failed++;
            failures.unshift({
              id,
              name: job.name,
              payload,
              error: reason,
              tries,
              failedAt: new Date(),
            });
            if (failures.length > keepFailed) failures.pop();
          }
        } finally {
          counts.active--;
        }
      }),
    );
  };

  const enqueue: JobQueue['enqueue'] = (job, payload) => {
    if (closing) return Promise.reject(new Error('The job queue is closed'));
    const known = byName.get(job.name);
    if (known !== job) return Promise.reject(new Error(`Unknown job ${job.name}`));
    const checked = job.payload.safeParse(payload);
    // Rejected, not thrown: a bad payload fails the caller's await as BullMQ's enqueue does.
    if (!checked.success) return Promise.reject(checked.error);
    const parsed: unknown = checked.data;
    const id = String(nextId++);
    setImmediate(() => run(id, job, parsed, 1));
    return Promise.resolve();
  };

  const intervals = (options.schedules ?? []).map((schedule) => {
    const fire = () => {
      enqueue(schedule.job, schedule.payload).catch((error: unknown) =>
        deps.log.error({ job: schedule.job.name, err: error }, 'could not enqueue a scheduled job'),
      );
    };
    fire();
    const interval = setInterval(fire, schedule.everyMs);
    interval.unref();
    return interval;
  });

  return {
    mode: 'embedded',
    enqueue,
    counts: () => Promise.resolve({ ...counts }),
    failed: (max = 50) => Promise.resolve(failures.slice(0, max)),
    retry(id) {
      const index = failures.findIndex((failure) => failure.id === id);
      const failure = failures[index];
      const job = failure && byName.get(failure.name);
      if (closing || !failure || !job) return Promise.resolve(false);
      failures.splice(index, 1);
      counts.failed--;
      setImmediate(() => run(id, job, failure.payload, 1));
      return Promise.resolve(true);
    },
    async close() {
      closing = true;
      intervals.forEach(clearInterval);
      timers.forEach(clearTimeout);
      timers.clear();
      counts.delayed = 0;
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
