import scalarReference from '@scalar/fastify-api-reference';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { OpenAPIObject } from 'trpc-to-openapi';

/**
 * The reference page loads its bundled script from /docs/js and runs a small
 * inline bootstrap; its "try it" client calls the API itself. The rest of the
 * server keeps helmet's strict policy.
 */
const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline' https://fonts.scalar.com",
  "font-src 'self' data: https://fonts.scalar.com",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** `GET /openapi.json` (generated once at start) and the interactive reference at `GET /docs`. */
async function docsRoutes(app: FastifyInstance, { document }: { document: OpenAPIObject }) {
  const json = JSON.stringify(document);
  app.get('/openapi.json', async (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(json),
  );

  await app.register(async (docs) => {
    docs.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-security-policy', DOCS_CSP);
      return payload;
    });
    await docs.register(scalarReference, {
      routePrefix: '/docs',
      configuration: {
        url: '/openapi.json',
        title: 'BuyBuy API reference',
        hideClientButton: false,
      },
      logLevel: 'warn',
    });
  });
}

export const docsPlugin = fp(docsRoutes, {
  name: 'buybuy-docs',
  fastify: '5.x',
  encapsulate: true,
});
