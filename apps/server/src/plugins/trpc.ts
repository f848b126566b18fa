import type { Api } from '@buybuy/api';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import type { FastifyInstance } from 'fastify';
import { logCallFailure, requestInfo, retryAfterHeader } from './request';
import type { ResponseCache } from '../cache';

export interface TrpcPluginOptions {
  api: Api;
  /** Stores the public reads' answers (absent when the catalog cache is off). */
  responseCache?: ResponseCache;
}

/** The tRPC face at /trpc: superjson, batching on, used by our apps through @buybuy/client. */
export async function trpcPlugin(app: FastifyInstance, { api, responseCache }: TrpcPluginOptions) {
  // Runs after the root's http-cache hook turned the adapter's Response into text.
  if (responseCache) app.addHook('onSend', responseCache.store);
  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: api.router,
      createContext: ({ req }) => api.createContext(requestInfo(req)),
      responseMeta: ({ errors }) => ({ headers: retryAfterHeader(errors) }),
      onError: ({ error, path, req }) => logCallFailure(req.log, 'tRPC', error, path),
    } satisfies FastifyTRPCPluginOptions<Api['router']>['trpcOptions'],
  });
}
