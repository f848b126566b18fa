import type { Api } from '@buybuy/api';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

import type { ResponseCache } from '../cache';
import { answerHeadAsGet, callHeaders, logCallFailure, requestInfo } from './request';

/**
 * The most calls one batched tRPC request may carry: a batch of 1,000 cost
 * the server 0.2 s and 150 KB of answer for a 14 KB request. Clients
 * batching more must split (httpBatchLink's `maxItems`).
 */
export const MAX_TRPC_BATCH = 50;

export interface TrpcPluginOptions {
  api: Api;
  /** Stores the public reads' answers (absent when the catalog cache is off). */
  responseCache?: ResponseCache;
}

/** The tRPC face at /trpc: superjson, batching on, used by our apps through @buybuy/client. */
async function trpcFace(app: FastifyInstance, { api, responseCache }: TrpcPluginOptions) {
  // After the HTTP cache's root hook (a dependency) tagged the adapter's bytes (a batch's Response, read).
  if (responseCache) app.addHook('onSend', responseCache.store);
  answerHeadAsGet(app);
  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: api.router,
      // Refused whole (400 BAD_REQUEST) after reading the path, before any context or call.
      maxBatchSize: MAX_TRPC_BATCH,
      createContext: ({ req }) => api.createContext(requestInfo(req)),
      responseMeta: ({ errors, data }) => ({ headers: callHeaders(errors, data) }),
      onError: ({ error, path, req }) => logCallFailure(req.log, 'tRPC', error, path),
    } satisfies FastifyTRPCPluginOptions<Api['router']>['trpcOptions'],
  });
}

/** Encapsulated: its hook stays on /trpc. */
export const trpcPlugin = fp(trpcFace, {
  name: 'buybuy-trpc',
  fastify: '5.x',
  encapsulate: true,
  dependencies: ['buybuy-http-cache'],
});
