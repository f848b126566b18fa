import type { Api } from '@buybuy/api';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import type { FastifyInstance } from 'fastify';
import { requestInfo, retryAfterHeader } from './request';

/** The tRPC face at /trpc: superjson, batching on, used by our apps through @buybuy/client. */
export async function trpcPlugin(app: FastifyInstance, { api }: { api: Api }) {
  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: api.router,
      createContext: ({ req }) => api.createContext(requestInfo(req)),
      responseMeta: ({ errors }) => ({ headers: retryAfterHeader(errors) }),
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') app.log.error({ err: error.cause ?? error, path }, 'tRPC call failed');
      },
    } satisfies FastifyTRPCPluginOptions<Api['router']>['trpcOptions'],
  });
}
