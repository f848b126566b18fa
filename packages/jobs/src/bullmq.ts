import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { Cluster, Redis } from 'ioredis';

import {
  type JobDefinition,
  type JobDeps,
  type JobLogger,
  jobsByName,
  type JobSchedule,
  RETRY_POLICY,
} from './definition';
import type { FailedJob, JobQueue } from './queue';

/** One queue for every kind of job: the job's name says which definition runs it. */
export const QUEUE_NAME = 'jobs';

/** Where BullMQ finds Redis: one node, or a cluster's seed nodes (`host:port`). */
export interface RedisTarget {
  url?: string;
  clusterNodes?: readonly string[];
}

/**
 * The queue's keys start with the shop's Redis key prefix, so two shops on one
 * Redis never run each other's jobs, in braces: a hash tag, which keeps every
 * key of the queue on one Redis Cluster slot, as BullMQ's scripts require.
 */
export function queuePrefix(redisKeyPrefix: string): string {
  return `{${redisKeyPrefix}:bull}`;
}

/**
 * BullMQ 6 in native ESM refuses bare connection options unless it can load
 * ioredis itself: we hand it our own ioredis 6 clients. A worker's commands
 * wait out a Redis outage (`maxRetriesPerRequest: null`, BullMQ's requirement
 * for blocking reads); a producer fails fast, so a request is never held up
 * by an absent Redis.
 */
export function connectRedis(target: RedisTarget, role: 'producer' | 'worker'): Redis | Cluster {
  const options =
    role === 'worker'
      ? { maxRetriesPerRequest: null }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false };
  if (target.clusterNodes && target.clusterNodes.length > 0) {
    const nodes = target.clusterNodes.map((node) => {
      const at = node.lastIndexOf(':');
      return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
    });
    return new Cluster(nodes, { redisOptions: options, enableOfflineQueue: role === 'worker' });
  }
  if (!target.url) throw new Error('BullMQ needs REDIS_URL or REDIS_CLUSTER_NODES');
  return new Redis(target.url, options);
}

/**
 * Logs each Redis outage of a connection once, and its end (an 'error'
 * listener also keeps ioredis from throwing the event). ioredis reconnects
 * on its own; meanwhile enqueue fails fast in its caller.
 */
function watchConnection(connection: Redis | Cluster, log: JobLogger, role: string) {
  let down = false;
  connection.on('error', (error: Error & { code?: string }) => {
    if (down) return;
    down = true;
    log.warn({ role, code: error.code, reason: error.message }, 'jobs: Redis is unavailable');
  });
  connection.on('ready', () => {
    if (down) log.info({ role }, 'jobs: Redis connection restored');
    down = false;
  });
}

export interface BullQueueOptions {
  redis: RedisTarget;
  redisKeyPrefix: string;
  definitions: readonly JobDefinition[];
  retry?: { attempts: number; backoffMs: number };
  /** Told about Redis outages (once each). */
  log: JobLogger;
}

/**
 * The producer side: jobs go to Redis, where any worker takes them. Completed
 * jobs are kept only briefly (the last 1000, up to a day); failed ones are
 * kept (the last 5000) to be read and retried.
 */
export function createBullQueue(options: BullQueueOptions): JobQueue & { queue: Queue } {
  const byName = jobsByName(options.definitions);
  const retry = options.retry ?? RETRY_POLICY;
  const connection = connectRedis(options.redis, 'producer');
  watchConnection(connection, options.log, 'producer');
  const queue = new Queue(QUEUE_NAME, {
    connection,
    prefix: queuePrefix(options.redisKeyPrefix),
    defaultJobOptions: {
      attempts: retry.attempts,
      backoff: { type: 'exponential', delay: retry.backoffMs },
      removeOnComplete: { count: 1000, age: 24 * 3600 },
      removeOnFail: { count: 5000 },
    },
  });
  // The same failures the connection's watcher reports; the failing call's caller gets them too.
  queue.on('error', () => undefined);
  return {
    mode: 'bullmq',
    queue,
    async enqueue(job, payload) {
      if (byName.get(job.name) !== job) throw new Error(`Unknown job ${job.name}`);
      const data: unknown = job.payload.parse(payload);
      await queue.add(job.name, data, job.attempts ? { attempts: job.attempts } : undefined);
    },
    async counts() {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
      return {
        waiting: counts.waiting ?? 0,
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
      };
    },
    async failed(limit = 50): Promise<FailedJob[]> {
      const jobs = await queue.getFailed(0, limit - 1);
      return jobs.map((job) => ({
        id: String(job.id),
        name: job.name,
        payload: job.data,
        error: job.failedReason,
        tries: job.attemptsMade,
        failedAt: new Date(job.finishedOn ?? job.timestamp),
      }));
    },
    async retry(id) {
      const job = await queue.getJob(id);
      if (!job || (await job.getState()) !== 'failed') return false;
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return true;
    },
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EPIPE',
]);

export interface BullWorkerOptions extends Omit<BullQueueOptions, 'log'> {
  deps: JobDeps;
  /** Jobs run at once by this worker. */
  concurrency: number;
  /**
   * How long a job's lock lasts without renewal: a worker that dies mid-job
   * (killed, out of memory) stops renewing it, and after this long another
   * worker takes the job back (stalled) and runs it again.
   */
  lockMs: number;
  schedules?: readonly JobSchedule[];
}

export interface RunningWorker {
  worker: Worker;
  queue: JobQueue;
  /** Takes no new job, waits for the ones under way, then disconnects. */
  close: () => Promise<void>;
}

/**
 * The consumer side, for apps/worker: runs each job through its definition
 * (payload parsed again: a job queued by an older release may not fit), and
 * registers the schedules (idempotent: every worker upserts the same ones).
 */
export async function startBullWorker(options: BullWorkerOptions): Promise<RunningWorker> {
  const byName = jobsByName(options.definitions);
  const { deps } = options;
  const queue = createBullQueue({ ...options, log: deps.log });
  const connection = connectRedis(options.redis, 'worker');
  watchConnection(connection, deps.log, 'worker');
  const worker = new Worker(
    QUEUE_NAME,
    async (job) => {
      const definition = byName.get(job.name);
      // Neither can succeed on a later try: fail at once.
      if (!definition) throw new UnrecoverableError(`No job is named ${job.name}`);
      const parsed = definition.payload.safeParse(job.data);
      if (!parsed.success) {
        throw new UnrecoverableError(`Invalid payload: ${parsed.error.message}`);
      }
      return definition.handler(parsed.data, deps);
    },
    {
      connection,
      prefix: queuePrefix(options.redisKeyPrefix),
      concurrency: options.concurrency,
      lockDuration: options.lockMs,
      stalledInterval: options.lockMs,
      autorun: false,
    },
  );
  worker.on('failed', (job, error) => {
    if (!job) return;
    const final =
      job.attemptsMade >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError;
    const fields = { job: job.name, id: job.id, tries: job.attemptsMade, err: error };
    if (final) deps.log.error(fields, 'job failed every try');
    else deps.log.warn(fields, 'job failed: retrying');
  });
  worker.on('error', (error: Error & { code?: string }) => {
    // Redis outages (on the blocking connection BullMQ makes too) come every reconnect
    // attempt: watchConnection says it once instead.
    if (error.code && CONNECTION_ERRORS.has(error.code)) return;
    deps.log.error({ err: error }, 'job worker error');
  });

  for (const schedule of options.schedules ?? []) {
    await queue.queue.upsertJobScheduler(
      schedule.job.name,
      { every: schedule.everyMs },
      { name: schedule.job.name, data: schedule.job.payload.parse(schedule.payload) },
    );
  }
  worker.run().catch((error: unknown) => deps.log.error({ err: error }, 'job worker stopped'));
  return {
    worker,
    queue,
    async close() {
      await worker.close();
      await queue.close();
      connection.disconnect();
    },
  };
}
