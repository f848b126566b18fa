import { createApi } from '@buybuy/api';
import type { Config } from '@buybuy/config';
import type { Database } from '@buybuy/db';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Cluster, Redis } from 'ioredis';
import { restPlugin } from './plugins/rest';
import { trpcPlugin } from './plugins/trpc';

export interface AppOptions {
  config: Config;
  db: Database;
  redis?: Redis | Cluster;
  /** Namespaces Redis keys, so several apps (or test files) can share one Redis. */
  keyPrefix?: string;
  logger?: boolean;
}

/** Builds the Fastify app without listening: server.ts listens, tests inject. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const app = Fastify({
    logger: options.logger === false ? false : { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
  });
  const api = createApi({ config, db: options.db, redis: options.redis, keyPrefix: options.keyPrefix });

  await app.register(trpcPlugin, { api });
  await app.register(restPlugin, { api, prefix: '/v1' });
  return app;
}
