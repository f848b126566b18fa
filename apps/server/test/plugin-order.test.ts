import type { OperationTable } from '@buybuy/api';
import { loadConfig } from '@buybuy/config';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';

import { httpCachePlugin, responseCachePlugin } from '../src/cache';
import { restPlugin } from '../src/plugins/rest';
import { securityPlugin } from '../src/plugins/security';
import { trpcPlugin } from '../src/plugins/trpc';

const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const noOperations: OperationTable = {
  operations: [],
  atPath: () => [],
  find: () => undefined,
  procedure: () => undefined,
};
/** Options of a plugin that must never run: Fastify refuses it before calling it. */
const neverRun = {} as never;

let app: FastifyInstance;
afterEach(() => app.close());

describe('plugin order, declared by each plugin', () => {
  it('starts when each plugin comes after what it depends on', async () => {
    app = Fastify({ logger: false });
    await app.register(securityPlugin, { config });
    await app.register(responseCachePlugin, {});
    await app.register(httpCachePlugin, { operations: noOperations });
    await expect(app.ready()).resolves.toBe(app);
  });

  it('refuses a face registered before the HTTP cache whose tags it must send', async () => {
    app = Fastify({ logger: false });
    await app.register(securityPlugin, { config });
    await app.register(responseCachePlugin, {});
    await expect(app.register(restPlugin, neverRun)).rejects.toMatchObject({
      code: 'FST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED',
      message: "The dependency 'buybuy-http-cache' of plugin 'buybuy-rest' is not registered",
    });
  });

  it('refuses the tRPC face without the HTTP cache too', async () => {
    app = Fastify({ logger: false });
    await expect(app.register(trpcPlugin, neverRun)).rejects.toMatchObject({
      code: 'FST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED',
    });
  });

  it('refuses the HTTP cache before the response cache, which declares request.cachedResponse', async () => {
    app = Fastify({ logger: false });
    await app.register(securityPlugin, { config });
    await expect(app.register(httpCachePlugin, neverRun)).rejects.toMatchObject({
      code: 'FST_ERR_PLUGIN_NOT_PRESENT_IN_INSTANCE',
      message:
        "The decorator 'cachedResponse' required by 'buybuy-http-cache' is not present in Request",
    });
  });

  it('refuses the response cache before the security headers its stored answers must carry', async () => {
    app = Fastify({ logger: false });
    await expect(app.register(responseCachePlugin, neverRun)).rejects.toMatchObject({
      code: 'FST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED',
      message:
        "The dependency 'buybuy-security' of plugin 'buybuy-response-cache' is not registered",
    });
  });
});
