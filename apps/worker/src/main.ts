import { type Config, ConfigError, loadConfig, redactUrl } from '@buybuy/config';
import { createDatabase, isDatabaseUnreachable, unreachableDatabaseHelp } from '@buybuy/db';
import { createMailer } from '@buybuy/email';
import { createImageStorage } from '@buybuy/images';
import {
  type JobDefinition,
  jobDefinitions,
  type JobSchedule,
  startBullWorker,
  sweepSchedules,
} from '@buybuy/jobs';

import { createLogger } from './logger';

/**
 * How long SIGTERM/SIGINT waits for the jobs under way. Below Kubernetes'
 * default 30 s grace period; a job still running then is left to its lock,
 * and another worker runs it again once the lock expires (never lost).
 */
const SHUTDOWN_TIMEOUT_MS = 25_000;

/** Prints a short explanation (never a stack trace) and exits. */
function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

export interface WorkerProcessOptions {
  /** Jobs besides BuyBuy's own (tests add a slow one). */
  extraDefinitions?: readonly JobDefinition[];
  /** Replaces the sweeps' schedules (tests: none). */
  schedules?: (config: Config) => readonly JobSchedule[];
}

/**
 * The worker process: config, a reachable migrated database, Redis, then
 * BullMQ takes jobs until a signal; one line on a clean stop.
 */
export async function runWorkerProcess(options: WorkerProcessOptions = {}): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  if (!config.redisUrl && config.redisClusterNodes.length === 0) {
    fail(
      'The worker takes its jobs from Redis: set REDIS_URL (or REDIS_CLUSTER_NODES). Without Redis the API runs the jobs itself and no worker is needed.',
    );
  }

  const log = createLogger(config);
  const database = createDatabase(config.database.url, {
    poolSize: config.jobs.concurrency + 1,
    connectTimeoutMs: config.database.connectTimeoutMs,
  });
  try {
    await database.pool.query('SELECT 1 FROM users LIMIT 1');
  } catch (error) {
    await database.close().catch(() => undefined); // the original error is what the operator needs
    if (isDatabaseUnreachable(error)) fail(unreachableDatabaseHelp(config.database.url));
    const { code, message } = error as { code?: string; message?: string };
    fail(
      `The database at ${redactUrl(config.database.url)} is not ready for BuyBuy (${code ?? 'error'}: ${message ?? 'unknown'}). Run \`pnpm db:migrate\` with the same DATABASE_URL.`,
    );
  }

  const running = await startBullWorker({
    redis: { url: config.redisUrl, clusterNodes: config.redisClusterNodes },
    redisKeyPrefix: config.redisKeyPrefix,
    definitions: [...jobDefinitions, ...(options.extraDefinitions ?? [])],
    deps: {
      db: database.db,
      log,
      images: createImageStorage(config.storage, config.uploads),
      mailer: createMailer({ ...config.email, log }),
    },
    concurrency: config.jobs.concurrency,
    lockMs: config.jobs.lockSeconds * 1000,
    schedules: options.schedules
      ? options.schedules(config)
      : sweepSchedules({ guestCartRetentionDays: config.jobs.guestCartRetentionDays }),
  });
  log.info(
    {
      concurrency: config.jobs.concurrency,
      redis: config.redisUrl ? redactUrl(config.redisUrl) : 'cluster',
    },
    'worker started: taking jobs',
  );

  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) {
      log.warn({ signal }, 'second signal: exiting now, jobs under way will be run again');
      process.exit(1);
    }
    closing = true;
    const started = Date.now();
    const timer = setTimeout(() => {
      log.error(
        `jobs still running after ${SHUTDOWN_TIMEOUT_MS} ms: exiting, they will be run again once their lock expires`,
      );
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    running
      .close()
      .then(() => database.close())
      .then(
        () => {
          log.info(
            { signal },
            `stopped on ${signal}: jobs under way finished (${Date.now() - started} ms)`,
          );
          process.exit(0);
        },
        (error: unknown) => {
          log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

export function startFromCommandLine(options?: WorkerProcessOptions) {
  runWorkerProcess(options).catch((error: unknown) => {
    const { message } = error as { message?: string };
    fail(`The BuyBuy worker could not start: ${message ?? String(error)}`);
  });
}
