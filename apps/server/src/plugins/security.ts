import cors from '@fastify/cors';
import type { Config } from '@buybuy/config';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

/**
 * CORS for the configured browser origins (tokens travel in the
 * Authorization header, never cookies: no credentials) and helmet's security
 * headers. Registered at the root so every route gets them.
 */
export const securityPlugin = fp(
  async (app: FastifyInstance, { config }: { config: Config }) => {
    await app.register(cors, {
      origin: config.corsOrigins,
      credentials: false,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      exposedHeaders: ['Retry-After', 'X-Request-Id'],
      maxAge: 600,
    });
    // helmet itself, built once. @fastify/helmet (used before) calls
    // `helmet(options)` on every request, which re-validates the options and
    // rebuilds every middleware: ~5% of a cached catalog read's CPU. The
    // headers are the same; nothing here uses per-route helmet options.
    const securityHeaders = helmet({
      // An API answers JSON: nothing on these responses may load or frame anything.
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'none'"],
        },
      },
      crossOriginResourcePolicy: { policy: 'same-site' },
      xFrameOptions: { action: 'deny' },
      hsts: config.env === 'production',
    });
    app.addHook('onRequest', (request, reply, done) => {
      securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined));
    });
  },
  { name: 'buybuy-security' },
);
