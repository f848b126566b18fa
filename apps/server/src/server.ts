import { ConfigError, loadConfig, type Config } from '@buybuy/config';
import {
  createDatabase,
  isDatabaseUnreachable,
  unreachableDatabaseHelp,
  type DatabaseHandle,
} from '@buybuy/db';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import { buildApp } from './app';

/** How long in-flight requests get to finish after SIGTERM/SIGINT. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

/** Prints a short explanation (never a stack trace) and exits. */
function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const safeUrl = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

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
        `The database at ${safeUrl(config.database.url)} has no BuyBuy tables yet. Run \`pnpm db:migrate\` from the repository root (with the same DATABASE_URL), then start the server again.`,
      );
    }
    fail(
      `The database at ${safeUrl(config.database.url)} refused BuyBuy (${code ?? 'error'}: ${message ?? 'unknown'}). Check the user, password and database name in DATABASE_URL.`,
    );
  }
}

/**
 * Redis is optional: rate limits fall back to this process while it is away.
 * Commands fail fast instead of queueing (the limiter's in-process insurance
 * takes over), reconnection never stops, and each outage is logged once
 * (an 'error' listener also keeps ioredis from crashing the process).
 */
function watchRedis(redis: Redis, url: string, log: FastifyBaseLogger) {
  let down = false;
  redis.on('error', (error: Error & { code?: string }) => {
    if (down) return;
    down = true;
    log.warn(
      { redis: safeUrl(url), code: error.code, reason: error.message },
      'Redis is unavailable: rate limits are counted in this process until it returns',
    );
  });
  redis.on('ready', () => {
    if (down) log.info('Redis connection restored');
    down = false;
  });
}

/** QUIT when connected (pending replies arrive first); a client still reconnecting is just dropped. */
async function closeRedis(redis: Redis | undefined) {
  if (!redis) return;
  if (redis.status === 'ready') await redis.quit();
  else redis.disconnect();
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }

  const database = createDatabase(config.database.url, { poolSize: config.database.poolSize });
  await checkDatabase(database, config);

  // Connected only once the app's logger can report on it (lazyConnect: no events before).
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
      })
    : undefined;
  const app = await buildApp({ config, db: database.db, redis });
  if (redis && config.redisUrl) {
    watchRedis(redis, config.redisUrl, app.log);
    // A failed first attempt is reported by watchRedis; reconnection goes on regardless.
    redis.connect().catch(() => undefined);
  } else {
    app.log.info('No REDIS_URL: rate limits are counted in this process only');
  }

  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) {
      app.log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const timer = setTimeout(() => {
      app.log.error(`shutdown took longer than ${SHUTDOWN_TIMEOUT_MS} ms: exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    app
      .close()
      .then(() => database.close())
      .then(() => closeRedis(redis))
      .then(
        () => {
          app.log.info('shut down cleanly');
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
    redis?.disconnect();
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
