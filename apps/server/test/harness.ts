import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { AppRouter } from '@buybuy/api';
import { createAuth } from '@buybuy/auth';
import { type Config, loadConfig } from '@buybuy/config';
import { type Database, schema, users } from '@buybuy/db';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import type { JobQueue } from '@buybuy/jobs';
import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from '@trpc/client';
import { drizzle } from 'drizzle-orm/mysql2';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import superjson from 'superjson';

import { type AppOptions, buildApp } from '../src/app';
import { startTestJobs, type TestJobMode } from './support/jobs';

export interface TestApp {
  app: FastifyInstance;
  db: TestDatabase;
  config: Config;
  redis: Redis;
  /** Namespace of this app's Redis keys (shared by apps started with `sharedWith`). */
  keyPrefix: string;
  /** Base URL of the really listening server (for tRPC clients and the SDK). */
  url: string;
  /** A REST call through app.inject; `json()` gives the envelope. */
  rest: (method: string, path: string, options?: RestOptions) => Promise<LightMyRequestResponse>;
  /** A typed tRPC client against the listening server; pass a token to sign in. */
  trpc: (
    token?: string,
    options?: { batch?: boolean },
  ) => ReturnType<typeof createTRPCClient<AppRouter>>;
  /** A user row and an access token for it, made without going through the auth procedures. */
  tokenFor: (username: string, options?: { admin?: boolean }) => Promise<string>;
  /** The app's job queue, when it was started with one (`TestAppOptions.jobs`). */
  jobs?: () => JobQueue;
  close: () => Promise<void>;
}

export interface RestOptions {
  body?: unknown;
  /** A body that is not JSON (multipart uploads): sent as is with its content type. */
  raw?: { payload: Buffer; contentType: string };
  token?: string;
  headers?: Record<string, string>;
}

export interface TestAppOptions {
  /** Another instance of the same deployment: same database, same Redis key prefix. */
  sharedWith?: TestApp;
  /**
   * The app's Redis client instead of a fresh one to TEST_REDIS_URL (a test
   * may stop it); `false` builds the app without Redis (in-process cache and limits).
   */
  redis?: Redis | false;
  /** Told about every SQL statement the app runs (drizzle's logger). */
  onStatement?: (sql: string) => void;
  onCacheEvent?: AppOptions['onCacheEvent'];
  /** Background jobs run in the app (`embedded`) or by a BullMQ worker beside it; unset: none. */
  jobs?: TestJobMode;
  /** OpenTelemetry started by the test (tracing.ts `startTracing` with its own span processor). */
  tracing?: AppOptions['tracing'];
}

/**
 * One real app per test file: its own database, its own Redis key prefix,
 * real Fastify listening on a free port. Rate limits are on but roomy unless
 * a test asks for tight ones.
 */
export async function startTestApp(
  overrides: Partial<Config> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const shared = options.sharedWith;
  const db = shared?.db ?? (await createTestDatabase());
  const base = loadConfig({ NODE_ENV: 'test', BCRYPT_COST: '4', LOG_LEVEL: 'silent' });
  // Emails of apps with jobs land here as .eml files, unless a test gives an SMTP_URL.
  const mailDir = await mkdtemp(join(tmpdir(), 'buybuy-mail-'));
  const config: Config = {
    ...base,
    database: { ...base.database, url: db.url },
    rateLimit: { ...base.rateLimit, max: 100_000, authMax: 100_000 },
    uploads: {
      ...base.uploads,
      dir: await mkdtemp(join(tmpdir(), 'buybuy-uploads-')),
      baseUrl: 'http://uploads.test/uploads',
    },
    email: { ...base.email, dir: mailDir },
    ...overrides,
  };
  const redis =
    options.redis ||
    new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  if (!options.redis) await redis.connect();
  const keyPrefix = shared?.keyPrefix ?? `test:${randomBytes(6).toString('hex')}`;
  const onStatement = options.onStatement;
  const appDb: Database = onStatement
    ? drizzle(db.pool, { schema, mode: 'default', logger: { logQuery: (sql) => onStatement(sql) } })
    : db.db;
  const testJobs = options.jobs
    ? await startTestJobs(options.jobs, { db: appDb, config, keyPrefix })
    : undefined;
  const app = await buildApp({
    config,
    db: appDb,
    redis: options.redis === false ? undefined : redis,
    keyPrefix,
    logger: false,
    onCacheEvent: options.onCacheEvent,
    jobs: testJobs?.jobs,
    tracing: options.tracing,
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const auth = createAuth({ db: db.db, ...config.auth });

  return {
    app,
    db,
    config,
    redis,
    keyPrefix,
    url,
    rest: (method, path, options = {}) =>
      app.inject({
        method: method as 'GET',
        url: path,
        headers: {
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(options.raw ? { 'content-type': options.raw.contentType } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
        payload:
          options.raw?.payload ??
          (options.body === undefined ? undefined : JSON.stringify(options.body)),
      }),
    trpc: (token, options = {}) =>
      createTRPCClient<AppRouter>({
        links: [
          (options.batch === false ? httpLink : httpBatchLink)({
            url: `${url}/trpc`,
            transformer: superjson,
            headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
          }),
        ],
      }),
    tokenFor: async (username, options = {}) => {
      const [row] = await db.db
        .insert(users)
        .values({
          username,
          email: `${username}@example.com`,
          password_hash: 'not-used',
          is_staff: options.admin === true,
        })
        .$returningId();
      return (await auth.signIn(row!.id)).access_token;
    },
    jobs: testJobs?.queue,
    close: async () => {
      await testJobs?.close();
      await app.close();
      if (!shared) {
        // `{prefix:catalog}` keys too (the cache's hash tag puts a brace first).
        const keys = [
          ...(await redis.keys(`${keyPrefix}:*`)),
          ...(await redis.keys(`{${keyPrefix}:*`)),
        ];
        if (keys.length > 0) await redis.del(...keys);
      }
      redis.disconnect();
      if (!shared) await db.drop();
      await rm(config.uploads.dir, { recursive: true, force: true });
      await rm(mailDir, { recursive: true, force: true });
    },
  };
}

/** Every sample of /metrics by its series text (`name{labels}`). */
export async function scrapeMetrics(app: FastifyInstance): Promise<Map<string, number>> {
  const response = await app.inject({ method: 'GET', url: '/metrics' });
  if (response.statusCode !== 200) throw new Error(`/metrics answered ${response.statusCode}`);
  const samples = new Map<string, number>();
  for (const line of response.body.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

/** The error data of a tRPC call that must fail (fails the test if it succeeds). */
export async function trpcFailure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TRPCClientError))
    throw new Error(`expected a tRPC error, got ${String(error)}`);
  return (error as TRPCClientError<AppRouter>).data!;
}

/** A multipart body with one file part, as a browser's FormData would send it. */
export function multipartBody(
  data: Buffer,
  options: { filename?: string; type?: string; field?: string } = {},
): { payload: Buffer; contentType: string } {
  const boundary = `----buybuy${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${options.field ?? 'file'}"; ` +
      `filename="${options.filename ?? 'photo.png'}"\r\nContent-Type: ${options.type ?? 'image/png'}\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}
