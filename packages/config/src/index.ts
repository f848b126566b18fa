import { createHash } from 'node:crypto';

import { z } from 'zod';

import { fromWorkspaceRoot } from './workspace';

/**
 * Every setting BuyBuy reads from the environment, validated once at start.
 * The defaults make `pnpm dev` work on a laptop; production refuses to start
 * while any secret still has its development value.
 */
const DEV_JWT_SECRET = 'dev-only-jwt-secret-do-not-use-in-production-0123456789';
/** Where `pnpm dev` serves the storefront (tooling/dev). */
const STOREFRONT_DEV_PORT = 5173;
export const DEFAULT_DATABASE_URL = 'mysql://root@127.0.0.1:3306/buybuy';

const flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

const positiveInt = z.coerce.number().int().positive();

/** An empty value counts as unset (compose passes `${VAR:-}` through as ''). */
const unsetWhenEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: flag.default(false),
  /** Unset: on, but in production only with a METRICS_TOKEN. */
  METRICS_ENABLED: flag.optional(),
  METRICS_TOKEN: z.string().min(16).optional(),
  SLOW_QUERY_MS: z.coerce.number().int().min(0).default(200),
  /**
   * OpenTelemetry's own names: the collector's OTLP/HTTP base URL (traces go
   * to <endpoint>/v1/traces); unset, tracing is off and no SDK starts.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: unsetWhenEmpty(z.url()),
  OTEL_SERVICE_NAME: z.string().trim().min(1).default('buybuy-api'),

  DATABASE_URL: z.string().startsWith('mysql://').default(DEFAULT_DATABASE_URL),
  DATABASE_POOL_SIZE: positiveInt.default(10),
  DATABASE_REPLICA_URLS: list.pipe(z.array(z.string().startsWith('mysql://'))).default([]),
  DATABASE_REPLICA_WAIT_MS: z.coerce.number().int().min(0).default(5000),
  DATABASE_REPLICA_TIMEOUT_MS: positiveInt.default(2000),
  DATABASE_CONNECT_TIMEOUT_MS: positiveInt.default(5000),
  /** `false`: searches stay on InnoDB FULLTEXT even where the Mroonga index exists. */
  SEARCH_INDEX: flag.default(true),
  /**
   * A search engine (Manticore, Sphinx 2.2) speaking SphinxQL: searches go
   * to it; `?shards=N`: its index is kept in N parts (MAX_SEARCH_SHARDS in
   * @buybuy/db, 16). Unset: none.
   */
  SEARCH_ENGINE_URL: unsetWhenEmpty(
    z
      .string()
      .regex(
        /^sphinxql:\/\/[^\s/:]+(:\d{1,5})?(\/[A-Za-z_][A-Za-z0-9_]*)?(\?shards=([1-9]|1[0-6]))?$/,
        'expected sphinxql://host:port/index, or with ?shards=N (1 to 16)',
      ),
  ),
  REDIS_URL: z.string().startsWith('redis').optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'expected 1-64 letters, digits, _ . : or -')
    .optional(),
  REDIS_CLUSTER_NODES: list
    .pipe(z.array(z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'expected host:port')))
    .default([]),

  JWT_SECRET: z.string().min(32).default(DEV_JWT_SECRET),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt.default(15 * 60),
  REFRESH_TOKEN_TTL_DAYS: positiveInt.default(30),
  BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),

  CORS_ORIGINS: list.optional(),
  BODY_LIMIT_BYTES: positiveInt.default(1024 * 1024),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt.default(65_000),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt.default(30_000),
  HTTP_IDLE_TIMEOUT_MS: positiveInt.default(120_000),

  UPLOADS_DIR: z.string().default('uploads'),
  UPLOADS_BASE_URL: z.url().optional(),
  UPLOAD_MAX_BYTES: positiveInt.default(10 * 1024 * 1024),
  /** Where images are stored: the local disk (UPLOADS_DIR) or an S3-compatible bucket. */
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name')
    .optional(),
  S3_REGION: z.string().trim().min(1).optional(),
  /** An S3-compatible service (MinIO, R2, ...); unset: AWS itself. */
  S3_ENDPOINT: z.url().optional(),
  S3_FORCE_PATH_STYLE: flag.default(false),
  /** Both or neither; neither: the AWS SDK's default chain (environment, profile, role). */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),

  RATE_LIMIT_ENABLED: flag.default(true),
  RATE_LIMIT_WINDOW_SECONDS: positiveInt.default(60),
  RATE_LIMIT_MAX: positiveInt.default(300),
  RATE_LIMIT_AUTH_MAX: positiveInt.default(10),
  /** Calls per window for each API key: its own budget, apart from users' and addresses'. */
  RATE_LIMIT_API_KEY_MAX: positiveInt.default(600),
  /** Emails an hour to one address (password reset, verification, email change), whoever asks. */
  RATE_LIMIT_EMAIL_MAX: positiveInt.default(5),

  CACHE_ENABLED: flag.default(true),
  CACHE_TTL_SECONDS: positiveInt.default(60),

  SHOP_NAME: z.string().trim().min(1).max(100).default('BuyBuy'),
  SHOP_CURRENCY: z
    .string()
    .refine(
      (code) => Intl.supportedValuesOf('currency').includes(code),
      'expected an ISO 4217 currency code in capitals, such as USD or EUR',
    )
    .default('USD'),
  IDEMPOTENCY_TTL_HOURS: positiveInt.default(24),

  JOBS_CONCURRENCY: positiveInt.max(100).default(4),
  JOBS_LOCK_SECONDS: positiveInt.max(3600).default(30),
  GUEST_CART_RETENTION_DAYS: positiveInt.default(30),

  /** Unset: emails are written as .eml files under MAIL_DIR (refused in production). */
  SMTP_URL: unsetWhenEmpty(z.string().regex(/^smtps?:\/\/\S+$/, 'expected smtp://… or smtps://…')),
  EMAIL_FROM: z.string().trim().min(3).default('BuyBuy <no-reply@localhost>'),
  MAIL_DIR: z.string().default('var/mail'),
  /** Where the links in emails point (reset, verification); unset: PUBLIC_URL in production. */
  STOREFRONT_URL: unsetWhenEmpty(z.url()),
});

export type Env = z.output<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  host: string;
  port: number;
  publicUrl: string;
  logLevel: Env['LOG_LEVEL'];
  trustProxy: boolean;
  /** OpenTelemetry traces, sent over OTLP/HTTP to `endpoint`; none: tracing off. */
  tracing: { endpoint?: string; serviceName: string };
  /** GET /metrics (Prometheus), and statements slower than slowQueryMs logged by shape (0: none). */
  metrics: {
    enabled: boolean;
    slowQueryMs: number;
    /** When set, `/metrics` answers only `Authorization: Bearer <token>`. */
    token: string | undefined;
  };
  /**
   * `replicaUrls`: read replicas for the public catalog reads (one pool each, `poolSize`
   * connections); catalog writes wait up to `replicaWaitMs` for them to apply the write.
   * A replica read waits up to `replicaTimeoutMs` before the replica leaves the rotation;
   * opening any connection gives up after `connectTimeoutMs`.
   */
  database: {
    url: string;
    poolSize: number;
    replicaUrls: string[];
    replicaWaitMs: number;
    replicaTimeoutMs: number;
    connectTimeoutMs: number;
    /** Whether searches may go through the Mroonga index where the database has it. */
    searchIndex: boolean;
    /** A search engine fed from the database (`sphinxql://host:port/index`); searches go to it. */
    searchEngineUrl?: string;
  };
  redisUrl: string | undefined;
  /** Seed nodes (`host:port`) of a Redis Cluster; used instead of `redisUrl`. */
  redisClusterNodes: string[];
  /**
   * Starts every Redis key (cache, rate limits, idempotency): servers sharing
   * one Redis share these only with the same prefix. Defaults to one derived
   * from the database, so two shops (or staging and production) never mix.
   */
  redisKeyPrefix: string;
  auth: {
    jwtSecret: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlDays: number;
    bcryptCost: number;
  };
  corsOrigins: string[];
  bodyLimitBytes: number;
  /**
   * Milliseconds. `keepAliveMs`: an idle kept-alive connection is closed
   * after it (above a balancer's own, often 60 s, so the balancer closes
   * first); `requestMs`: a request must have fully arrived by then (408);
   * `idleMs`: any socket silent that long is closed (one that never sends).
   */
  http: { keepAliveMs: number; requestMs: number; idleMs: number };
  uploads: {
    /** Where the local image store writes: absolute (a relative UPLOADS_DIR is read from the workspace root). */
    dir: string;
    /** Public URL prefix of stored images; a CDN's address in front of the store works too. */
    baseUrl: string;
    maxBytes: number;
  };
  /**
   * Which store holds the images: the local disk (`uploads.dir`, served by
   * the server at /uploads) or an S3-compatible bucket (served by the CDN at
   * `uploads.baseUrl`, never by the server).
   */
  storage:
    | { driver: 'local' }
    | {
        driver: 's3';
        bucket: string;
        region: string;
        endpoint?: string;
        forcePathStyle: boolean;
        /** Unset: the AWS SDK's default credential chain. */
        credentials?: { accessKeyId: string; secretAccessKey: string };
      };
  rateLimit: {
    enabled: boolean;
    windowSeconds: number;
    max: number;
    authMax: number;
    /** Optional in the type so literal configs written before it still type-check. */
    apiKeyMax?: number;
    /** Emails an hour to one address; optional for the same reason. */
    emailMax?: number;
  };
  /** Public catalog reads: in Redis when configured, else in the process. */
  cache: { enabled: boolean; ttlSeconds: number };
  /** The one currency every price and order is in (ISO 4217). */
  shop: { name: string; currency: string };
  /** How long a finished write is replayed for a repeated `Idempotency-Key`. */
  idempotency: { ttlSeconds: number };
  /**
   * Background jobs: on BullMQ in apps/worker when Redis is configured, else
   * in the API process. `concurrency`: jobs one worker runs at once;
   * `lockSeconds`: how soon a job whose worker died is taken back and run
   * again; `guestCartRetentionDays`: a guest cart untouched that long is swept.
   */
  jobs: { concurrency: number; lockSeconds: number; guestCartRetentionDays: number };
  /**
   * Outgoing email: over SMTP when `smtpUrl` is set, else written as `.eml`
   * files under `dir` (absolute) for a developer to open.
   */
  email: { smtpUrl: string | undefined; from: string; dir: string };
  /** The storefront's address, without a trailing slash: emails link to its pages. */
  storefrontUrl: string;
}

/**
 * `buybuy:<database>:<hash>`: the database's name to read, and a short hash of
 * its host, port and name (never the credentials) to tell apart two servers'
 * databases of one name.
 */
export function databaseKeyPrefix(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const name = url.pathname
    .replace(/^\//, '')
    .replace(/[^A-Za-z0-9_.-]/g, '_')
    .slice(0, 32);
  const where = createHash('sha256').update(`${url.host}/${name}`).digest('hex').slice(0, 8);
  return `buybuy:${name || 'default'}:${where}`;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment; throws a ConfigError that lists every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const env = parsed.data;

  if (env.NODE_ENV === 'production') {
    const problems: string[] = [];
    if (env.JWT_SECRET === DEV_JWT_SECRET) problems.push('JWT_SECRET is the development default');
    if (!source.DATABASE_URL) problems.push('DATABASE_URL is not set');
    if (env.BCRYPT_COST < 10) problems.push('BCRYPT_COST is below 10');
    if (env.METRICS_ENABLED === true && !env.METRICS_TOKEN)
      problems.push('METRICS_ENABLED is true without a METRICS_TOKEN (/metrics would be public)');
    if (!env.SMTP_URL)
      problems.push(
        'SMTP_URL is not set (password reset and verification emails could not be sent)',
      );
    if (problems.length > 0) {
      throw new ConfigError(`Refusing to start in production:\n  ${problems.join('\n  ')}`);
    }
  }

  if (env.REDIS_URL && env.REDIS_CLUSTER_NODES.length > 0) {
    throw new ConfigError(
      'Invalid environment:\n  set REDIS_URL (one Redis) or REDIS_CLUSTER_NODES (a cluster), not both',
    );
  }

  const storage = storageOf(env);
  const publicUrl = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    publicUrl,
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY,
    metrics: {
      // Production serves /metrics only behind a token, unless told otherwise.
      enabled:
        env.METRICS_ENABLED ?? (env.NODE_ENV !== 'production' || env.METRICS_TOKEN !== undefined),
      slowQueryMs: env.SLOW_QUERY_MS,
      token: env.METRICS_TOKEN,
    },
    tracing: {
      endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: env.OTEL_SERVICE_NAME,
    },
    database: {
      url: env.DATABASE_URL,
      poolSize: env.DATABASE_POOL_SIZE,
      replicaUrls: env.DATABASE_REPLICA_URLS,
      replicaWaitMs: env.DATABASE_REPLICA_WAIT_MS,
      replicaTimeoutMs: env.DATABASE_REPLICA_TIMEOUT_MS,
      connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
      searchIndex: env.SEARCH_INDEX,
      searchEngineUrl: env.SEARCH_ENGINE_URL,
    },
    redisUrl: env.REDIS_URL,
    redisClusterNodes: env.REDIS_CLUSTER_NODES,
    redisKeyPrefix: env.REDIS_KEY_PREFIX ?? databaseKeyPrefix(env.DATABASE_URL),
    auth: {
      jwtSecret: env.JWT_SECRET,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: env.REFRESH_TOKEN_TTL_DAYS,
      bcryptCost: env.BCRYPT_COST,
    },
    corsOrigins:
      env.CORS_ORIGINS ??
      (env.NODE_ENV === 'production' ? [] : ['http://localhost:5173', 'http://localhost:5174']),
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    http: {
      keepAliveMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      requestMs: env.HTTP_REQUEST_TIMEOUT_MS,
      idleMs: env.HTTP_IDLE_TIMEOUT_MS,
    },
    uploads: {
      dir: fromWorkspaceRoot(env.UPLOADS_DIR),
      baseUrl: (env.UPLOADS_BASE_URL ?? `${publicUrl}/uploads`).replace(/\/$/, ''),
      maxBytes: env.UPLOAD_MAX_BYTES,
    },
    storage,
    rateLimit: {
      enabled: env.RATE_LIMIT_ENABLED,
      windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
      max: env.RATE_LIMIT_MAX,
      authMax: env.RATE_LIMIT_AUTH_MAX,
      apiKeyMax: env.RATE_LIMIT_API_KEY_MAX,
      emailMax: env.RATE_LIMIT_EMAIL_MAX,
    },
    cache: { enabled: env.CACHE_ENABLED, ttlSeconds: env.CACHE_TTL_SECONDS },
    shop: { name: env.SHOP_NAME, currency: env.SHOP_CURRENCY },
    idempotency: { ttlSeconds: env.IDEMPOTENCY_TTL_HOURS * 3600 },
    jobs: {
      concurrency: env.JOBS_CONCURRENCY,
      lockSeconds: env.JOBS_LOCK_SECONDS,
      guestCartRetentionDays: env.GUEST_CART_RETENTION_DAYS,
    },
    email: { smtpUrl: env.SMTP_URL, from: env.EMAIL_FROM, dir: fromWorkspaceRoot(env.MAIL_DIR) },
    storefrontUrl: (
      env.STOREFRONT_URL ??
      (env.NODE_ENV === 'production' ? publicUrl : `http://localhost:${STOREFRONT_DEV_PORT}`)
    ).replace(/\/$/, ''),
  };
}

/** The image store's settings; an S3 store missing what it needs refuses to start, in every environment. */
function storageOf(env: Env): Config['storage'] {
  if (env.STORAGE_DRIVER === 'local') return { driver: 'local' };
  const problems: string[] = [];
  if (!env.S3_BUCKET) problems.push('S3_BUCKET: required when STORAGE_DRIVER=s3');
  if (!env.S3_REGION) problems.push('S3_REGION: required when STORAGE_DRIVER=s3');
  if (!env.UPLOADS_BASE_URL)
    problems.push(
      'UPLOADS_BASE_URL: required when STORAGE_DRIVER=s3 (the public address of the bucket or its CDN)',
    );
  if (!env.S3_ACCESS_KEY_ID !== !env.S3_SECRET_ACCESS_KEY)
    problems.push(
      'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: set both, or neither for the default AWS credential chain',
    );
  const { S3_BUCKET: bucket, S3_REGION: region } = env;
  if (problems.length > 0 || !bucket || !region)
    throw new ConfigError(`Invalid environment:\n  ${problems.join('\n  ')}`);
  return {
    driver: 's3',
    bucket,
    region,
    ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}),
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    ...(env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
      ? {
          credentials: {
            accessKeyId: env.S3_ACCESS_KEY_ID,
            secretAccessKey: env.S3_SECRET_ACCESS_KEY,
          },
        }
      : {}),
  };
}

export { redactUrl } from './redact';
