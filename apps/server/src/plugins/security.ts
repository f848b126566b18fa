import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Config } from '@buybuy/config';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

/**
 * The security headers of every response, decided by helmet once at start:
 * it is run on a stand-in response and what it set is kept. Every header
 * helmet can send is static for a given configuration, so running its
 * middlewares per request (~5% of a cached read, with ~20 header writes)
 * bought nothing.
 *
 * The set is OWASP's for APIs (REST Security Cheat Sheet): nothing here may
 * load or frame anything (CSP, X-Frame-Options), no sniffing, no referrer,
 * no cross-site embedding (CORP), HSTS in production. helmet's other
 * defaults protect HTML documents (COOP, Origin-Agent-Cluster, DNS
 * prefetch, IE's X-Download-Options, Flash's cross-domain policies, the
 * retired XSS auditor) and are off: every API response carried them, and
 * each costs bytes and parsing on every answer. The docs page sets its own CSP.
 */
export function securityHeaders(config: Config): Record<string, string> {
  const middleware = helmet({
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
    strictTransportSecurity: config.env === 'production',
    referrerPolicy: { policy: 'no-referrer' },
    xContentTypeOptions: true,
    crossOriginOpenerPolicy: false,
    crossOriginEmbedderPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
    xPoweredBy: false,
  });
  const headers: Record<string, string> = {};
  const standIn = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  let failure: unknown;
  middleware({} as IncomingMessage, standIn as unknown as ServerResponse, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure;
  return headers;
}

/**
 * CORS for the configured browser origins (tokens travel in the
 * Authorization header, never cookies: no credentials) and the security
 * headers. At the root, so every route gets them, stored answers too (the
 * response cache depends on this plugin).
 */
export const securityPlugin = fp(
  async (app: FastifyInstance, { config }: { config: Config }) => {
    await app.register(cors, {
      origin: config.corsOrigins,
      credentials: false,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      exposedHeaders: ['Retry-After', 'X-Request-Id', 'X-Cart-Token'],
      maxAge: 600,
    });
    const headers = securityHeaders(config);
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
  },
  { name: 'buybuy-security', fastify: '5.x' },
);
