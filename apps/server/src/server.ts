import { type Config, ConfigError, loadConfig, redactUrl } from '@buybuy/config';
import {
  createDatabase,
  type DatabaseHandle,
  isDatabaseUnreachable,
  openSearchEngine,
  replicaRotation,
  unreachableDatabaseHelp,
  useSearchEngine,
} from '@buybuy/db';
import { createMailer } from '@buybuy/email';
import { createImageStorage } from '@buybuy/images';
import { createBullQueue, createEmbeddedQueue, jobDefinitions, sweepSchedules } from '@buybuy/jobs';

import { buildApp } from './app';
import { closeRedis, createRedis, watchRedis } from './redis';
import { startTracing } from './tracing';

/** How long in-flight requests get to finish after SIGTERM/SIGINT. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

/** Prints a short explanation (never a stack trace) and exits. */
function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** Refuses to start without a reachable, migrated database, explaining what to do. */
async function checkDatabase(database: DatabaseHandle, config: Config) {
  try {
    await database.pool.query('SELECT 1 FROM users LIMIT 1');
  } catch (error) {
    await database.close().catch(() => undefined); // the original error is what the operator needs
    const { code, message } = error as { code?: string; message?: string };
    if (isDatabaseUnreachable(error)) fail(unreachableDatabaseHelp(config.database.url));
    if (code === 'ER_BAD_DB_ERROR' || code === 'ER_NO_SUCH_TABLE') {
      fail(
        `The database at ${redactUrl(config.database.url)} has no BuyBuy tables yet. Run \`pnpm db:migrate\` from the repository root (with the same DATABASE_URL), then start the server again.`,
      );
    }
    fail(
      `The database at ${redactUrl(config.database.url)} refused BuyBuy (${code ?? 'error'}: ${message ?? 'unknown'}). Check the user, password and database name in DATABASE_URL.`,
    );
  }
}

/**
 * A replica that refuses BuyBuy (credentials, no tables) stops the start, as
 * the primary does. One that does not answer starts out of the rotation (its
 * reads go elsewhere) and joins once its probe finds it healthy, so instances
 * can still start, or restart, while a replica is down. Returns the names of
 * those replicas.
 */
async function checkReplicas(database: DatabaseHandle): Promise<string[]> {
  const away: string[] = [];
  for (const [index, pool] of database.replicaPools.entries()) {
    try {
      await pool.query('SELECT 1 FROM users LIMIT 1');
    } catch (error) {
      if (isDatabaseUnreachable(error)) {
        replicaRotation(database.db)?.reportAway(pool, error);
        away.push(`replica${index}`);
        continue;
      }
      await database.close().catch(() => undefined);
      const { code, message } = error as { code?: string; message?: string };
      fail(
        `Read replica ${index + 1} of DATABASE_REPLICA_URLS refused BuyBuy (${code ?? 'error'}: ${message ?? 'unknown'}). Check that it replicates the migrated database and that the user in its URL may read it, or remove it from DATABASE_REPLICA_URLS.`,
      );
    }
  }
  return away;
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }

  // Before anything sends a statement: off (undefined) unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = startTracing(config.tracing);
  const database = createDatabase(config.database.url, {
    poolSize: config.database.poolSize,
    replicaUrls: config.database.replicaUrls,
    replicaWaitMs: config.database.replicaWaitMs,
    replicaTimeoutMs: config.database.replicaTimeoutMs,
    connectTimeoutMs: config.database.connectTimeoutMs,
    searchIndex: config.database.searchIndex,
  });
  await checkDatabase(database, config);
  const awayReplicas = await checkReplicas(database);

  // Connected only once the app's logger can report on it (lazyConnect: no events before).
  const redis = createRedis(config);
  // One image store for the upload route and the image jobs this process may run.
  const storage = createImageStorage(config.storage, config.uploads);
  const app = await buildApp({
    config,
    db: database.db,
    redis: redis?.client,
    storage,
    tracing,
    // With Redis, jobs wait there for apps/worker; without it, this process runs them.
    jobs: (log) =>
      redis
        ? createBullQueue({
            redis: { url: config.redisUrl, clusterNodes: config.redisClusterNodes },
            redisKeyPrefix: config.redisKeyPrefix,
            definitions: jobDefinitions,
            log,
          })
        : createEmbeddedQueue({
            definitions: jobDefinitions,
            deps: {
              db: database.db,
              log,
              images: storage,
              // Without SMTP_URL (development) an .eml file per email, one log line each.
              mailer: createMailer({ ...config.email, log }),
            },
            schedules: sweepSchedules(config.jobs),
          }),
  });
  // Searches go to the engine once it holds the catalog; until then, and
  // whenever it fails, to the database (packages/db/src/search-engine.ts).
  const searchEngineUrl = config.database.searchEngineUrl;
  const searchEngine =
    searchEngineUrl === undefined
      ? undefined
      : await openSearchEngine({
          primary: database.pool,
          url: searchEngineUrl,
          onError: (error, during) =>
            app.log.warn(
              { err: error, during, engine: searchEngineUrl },
              during === 'search'
                ? 'search engine failed: this search read from the database instead'
                : `search engine ${during} failed: retried in a moment`,
            ),
        }).catch(async (error: unknown) => {
          // Only the database can refuse here (the queue's table and triggers); the engine is asked later.
          await app.close();
          await database.close().catch(() => undefined);
          const { code, message } = error as { code?: string; message?: string };
          return fail(
            `SEARCH_ENGINE_URL is set, but the search queue could not be made in the database (${code ?? 'error'}: ${message ?? 'unknown'}). Its triggers need the TRIGGER privilege, and on MySQL 8 with binary logging SUPER or log_bin_trust_function_creators (docs/architecture.md, "A search engine of its own").`,
          );
        });
  if (searchEngine) {
    useSearchEngine(database.db, searchEngine);
    void searchEngine.started.then(() => {
      if (searchEngine.ready)
        app.log.info({ engine: searchEngineUrl }, 'searches go to the search engine');
    });
  }
  for (const replica of awayReplicas) {
    app.log.warn({ replica }, 'read replica does not answer: out of the rotation until it does');
  }
  if (redis) {
    watchRedis(redis.client, redis.address, app.log);
    // A failed first attempt is reported by watchRedis; reconnection goes on regardless.
    redis.client.connect().catch(() => undefined);
    app.log.info('Background jobs go to Redis: the job worker (pnpm start:worker) runs them');
  } else {
    app.log.info(
      'No REDIS_URL or REDIS_CLUSTER_NODES: rate limits, the catalog cache and background jobs live in this process only',
    );
  }

  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) {
      app.log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    closing = true;
    const started = Date.now();
    const timer = setTimeout(() => {
      app.log.error(`shutdown took longer than ${SHUTDOWN_TIMEOUT_MS} ms: exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    app
      .close()
      .then(() => searchEngine?.close())
      .then(() => database.close())
      .then(() => closeRedis(redis?.client))
      .then(() => tracing?.shutdown())
      .then(
        () => {
          // One line for a clean stop; a slow or failed one is explained above instead.
          app.log.info(
            { signal },
            `stopped on ${signal}: in-flight requests finished (${Date.now() - started} ms)`,
          );
          process.exit(0);
        },
        (error: unknown) => {
          app.log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    await app.close();
    await database.close();
    redis?.client.disconnect();
    fail(
      code === 'EADDRINUSE'
        ? `Port ${config.port} on ${config.host} is already in use. Stop the other process or set PORT.`
        : `The server could not listen on ${config.host}:${config.port} (${code ?? 'error'}: ${message ?? 'unknown'}).`,
    );
  }
}

main().catch((error: unknown) => {
  // Anything unexpected at start: one line, no stack, and a hint where to look.
  const { message } = error as { message?: string };
  fail(`BuyBuy could not start: ${message ?? String(error)}`);
});
