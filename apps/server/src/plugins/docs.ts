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

/**
 * What `GET /` answers a person or a script that found the server: where to
 * read next. Outside /v1, so not enveloped (like /health and /openapi.json).
 */
export const ROOT_INDEX = {
  name: 'BuyBuy API',
  links: {
    docs: '/docs',
    openapi: '/openapi.json',
    rest: '/v1',
    trpc: '/trpc',
    health: '/health',
    ready: '/ready',
  },
} as const;

/**
 * The reference page without the vendor's extras: no developer toolbar
 * (Configure, Share, Deploy) and no "Generate SDK" (both hidden by
 * `showDeveloperTools: 'never'`), no "Ask AI" agent and no MCP offer. Our own
 * SDK is named in the document's introduction.
 */
export const REFERENCE_CONFIGURATION = {
  url: '/openapi.json',
  title: 'BuyBuy API reference',
  pageTitle: 'BuyBuy API reference',
  hideClientButton: false,
  showDeveloperTools: 'never',
  agent: { disabled: true },
  mcp: { disabled: true },
} as const;

/** `GET /`, `GET /openapi.json` (generated once at start) and the interactive reference at `GET /docs`. */
async function docsRoutes(app: FastifyInstance, { document }: { document: OpenAPIObject }) {
  const json = JSON.stringify(document);
  app.get('/openapi.json', async (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(json),
  );
  // A browser asking for a page goes to the reference; curl and scripts get the index.
  app.get('/', async (request, reply) =>
    /\btext\/html\b/.test(request.headers.accept ?? '')
      ? reply.redirect('/docs', 302)
      : reply.send(ROOT_INDEX),
  );

  await app.register(async (docs) => {
    docs.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-security-policy', DOCS_CSP);
      return payload;
    });
    await docs.register(scalarReference, {
      routePrefix: '/docs',
      configuration: REFERENCE_CONFIGURATION,
      logLevel: 'warn',
    });
  });
}

export const docsPlugin = fp(docsRoutes, {
  name: 'buybuy-docs',
  fastify: '5.x',
  encapsulate: true,
});
