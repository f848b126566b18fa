import {
  type Api,
  type ErrorData,
  type FieldError,
  isPage,
  type Operation,
  type OperationTable,
  unknownFieldErrors,
} from '@buybuy/api';
import type { TRPCError } from '@trpc/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { fastifyTRPCOpenApiPlugin } from 'trpc-to-openapi';

import type { ResponseCache } from '../cache';
import {
  type Envelope,
  failure,
  frameworkErrorHandler,
  sendFrameworkError,
  success,
  successMessage,
} from './envelope';
import {
  answerHeadAsGet,
  callHeaders,
  logCallFailure,
  requestInfo,
  retryAfterHeader,
} from './request';
import { type UploadOptions, uploadRoutes } from './uploads';

/** The tail of a serialised page: `,"pagination":{...}}` holding only `"key":number` pairs. */
const PAGE_TAIL = /,"pagination":(\{(?:"[a-z_]+":-?[0-9.eE+-]+,?)*\})\}$/;

/**
 * The success envelope built around the procedure's JSON text, without
 * parsing it: on a cached catalog read, `JSON.parse` + `JSON.stringify` of
 * the body was the costliest single step of the REST face. Gives the same
 * bytes as `JSON.stringify(success(status, JSON.parse(payload)))`
 * (re-serialising `JSON.stringify` output is the identity), or undefined
 * when that cannot be proven from the text, for the parsing path.
 *
 * `page` says the value serialised was a page (`isPage`: exactly `items` and
 * `pagination`); the text then starts with `{"items":` (zod outputs keys in
 * the schema's order), so with a flat pagination object at the end, what
 * lies between is exactly the items. Otherwise the value is wrapped whole,
 * provided it has no `pagination` key (so it is not a page) and no `success`
 * key (so it is not an envelope already) at any depth: inside a JSON string
 * every `"` is escaped, so an unescaped `"pagination":` can only be a key.
 *
 * The bytes come as a Buffer, each piece encoded once into it: the text
 * joined as a string would be copied twice more on its way out (flattened
 * for its length, then again behind Node's header block), a page's worth of
 * garbage per uncached call.
 */
export function wrapPayload(status: number, payload: string, page: boolean): Buffer | undefined {
  const head = `{"success":true,"data":`;
  const rest = `"message":${JSON.stringify(successMessage(status))},"errors":[],"meta":`;
  if (page) {
    const tail = payload.startsWith('{"items":') ? PAGE_TAIL.exec(payload) : null;
    if (!tail) return undefined;
    const items = payload.slice('{"items":'.length, tail.index);
    return utf8(head, items, `,${rest}{"pagination":${tail[1]}}}`);
  }
  if (payload.includes('"pagination":') || payload.includes('"success":')) return undefined;
  return utf8(head, payload, `,${rest}{}}`);
}

/** The pieces' UTF-8 bytes, one after the other, each written straight into one Buffer. */
function utf8(...pieces: string[]): Buffer {
  let size = 0;
  for (const piece of pieces) size += Buffer.byteLength(piece);
  const bytes = Buffer.allocUnsafe(size);
  let at = 0;
  for (const piece of pieces) at += bytes.write(piece, at);
  return bytes;
}

/** trpc-to-openapi's error body is `{message, code, data: ErrorData, ...}`: re-shape it. */
function errorEnvelope(body: { message?: string; data?: ErrorData }): Envelope {
  const message = body.message ?? 'Request failed';
  return failure(message, body.data?.code ?? 'INTERNAL', body.data?.errors ?? []);
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

const queryOf = (request: FastifyRequest) => request.query as Record<string, unknown>;

/** A 400 `VALIDATION` in the envelope, as a procedure's schema would give it. */
const sendValidationError = (reply: FastifyReply, errors: FieldError[]) =>
  reply
    .code(400)
    .type('application/json; charset=utf-8')
    .send(failure('Validation failed', 'VALIDATION', errors));

/** A request URL's path relative to /v1, as the operation table matches it: `/products/42`. */
const restPath = (url: string) =>
  `/${(url.split('?')[0] ?? '').replace(/^\/v1/, '').replace(/^\/+|\/+$/g, '')}`;

/** The `Allow` header of a known path: its operations' methods. */
const allowed = (operations: Operation[]) =>
  [...new Set(operations.map((operation) => operation.method))].join(', ');

const mediaType = (header: string | undefined) =>
  (header ?? '').split(';')[0]!.trim().toLowerCase();

export interface RestPluginOptions {
  api: Api;
  /** The known REST operations (from the served document), and each procedure's success status. */
  operations: OperationTable;
  uploads: Omit<UploadOptions, 'api'>;
  /** Stores the enveloped public reads (absent when the catalog cache is off). */
  responseCache?: ResponseCache;
}

/** The REST face at /v1, generated from the router by trpc-to-openapi. */
async function restFace(
  app: FastifyInstance,
  { api, operations, uploads, responseCache }: RestPluginOptions,
) {
  // Which request each procedure context serves, and the requests whose
  // result was a page: lets the envelope slice a page's JSON text exactly.
  const requestOf = new WeakMap<object, FastifyRequest>();
  const pages = new WeakSet<FastifyRequest>();

  app.setErrorHandler(frameworkErrorHandler);
  // trpc-to-openapi answers 404 for a known path with the wrong method: that is a 405.
  app.setNotFoundHandler((request, reply) => {
    const known = operations.atPath(restPath(request.url));
    if (known.length > 0) return sendFrameworkError(reply.header('allow', allowed(known)), 405);
    return sendFrameworkError(reply, 404);
  });

  answerHeadAsGet(app);
  // Before the body is read: a known path with the wrong method is a 405,
  // a body of a type the operation does not document is a 415 (JSON, but
  // for the multipart upload).
  app.addHook('onRequest', async (request, reply) => {
    const path = restPath(request.url);
    const operation = operations.find(request.method, path);
    if (!operation) {
      const known = operations.atPath(path);
      if (known.length === 0) return;
      return sendFrameworkError(reply.header('allow', allowed(known)), 405);
    }
    if (
      BODY_METHODS.has(operation.method) &&
      !operation.contentTypes.includes(mediaType(request.headers['content-type']))
    ) {
      // The message names what this operation takes (multipart for the upload).
      return sendFrameworkError(reply, 415, [
        'UNSUPPORTED_MEDIA_TYPE',
        `Send the body as ${operation.contentTypes.join(' or ')}`,
      ]);
    }
    // An operation with a body reads no query string (trpc-to-openapi takes
    // the input from the body alone): a query key would be silently ignored.
    const queryKeys = BODY_METHODS.has(operation.method) ? Object.keys(queryOf(request)) : [];
    if (queryKeys.length > 0) return sendValidationError(reply, unknownFieldErrors(queryKeys));
  });

  // trpc-to-openapi spreads the body into the input (`{...body, ...pathParams}`),
  // which turns `123`, `[]` or `null` into `{}`: a body must be a JSON object.
  app.addHook('preValidation', async (request, reply) => {
    const body: unknown = request.body;
    if (body === undefined || (typeof body === 'object' && body !== null && !Array.isArray(body)))
      return;
    return sendValidationError(reply, [
      { field: null, code: 'VALIDATION', message: 'The request body must be a JSON object' },
    ]);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.cachedResponse) return payload; // stored enveloped
    if (reply.getHeader('content-type')?.toString().startsWith('application/json') !== true)
      return payload;
    if (typeof payload !== 'string' && payload !== undefined && payload !== null) return payload;
    if (reply.statusCode < 400 && typeof payload === 'string' && payload.length > 0) {
      const wrapped = wrapPayload(reply.statusCode, payload, pages.has(request));
      if (wrapped !== undefined) return wrapped;
    }
    const body: unknown =
      typeof payload === 'string' && payload.length > 0 ? JSON.parse(payload) : null;
    if (body && typeof body === 'object' && 'success' in body && 'errors' in body) return payload;
    const envelope =
      reply.statusCode >= 400
        ? errorEnvelope((body ?? {}) as Parameters<typeof errorEnvelope>[0])
        : success(reply.statusCode, body);
    return JSON.stringify(envelope);
  });
  // After the envelope: what is stored is exactly what was sent.
  if (responseCache) app.addHook('onSend', responseCache.store);

  await app.register(uploadRoutes, { api, ...uploads });
  await app.register(fastifyTRPCOpenApiPlugin, {
    basePath: '/',
    router: api.router,
    createContext: ({ req }: { req: FastifyRequest }) => {
      const ctx = api.createContext(requestInfo(req));
      requestOf.set(ctx, req);
      return ctx;
    },
    responseMeta: ({ errors, paths, ctx, data }) => {
      if (errors.length > 0) return { headers: retryAfterHeader(errors) };
      const request = ctx ? requestOf.get(ctx) : undefined;
      if (request && isPage(data[0])) pages.add(request);
      const status = paths?.[0]
        ? operations.procedure(paths[0])?.operation?.successStatus
        : undefined;
      return { status: status ?? 200, headers: callHeaders(errors, data) };
    },
    onError: ({ error, path, req }: { error: TRPCError; path?: string; req: FastifyRequest }) =>
      logCallFailure(req.log, 'REST', error, path),
  } as Parameters<typeof fastifyTRPCOpenApiPlugin>[1]);
}

/**
 * Encapsulated: its hooks and handlers stay on /v1, so /trpc never sees the
 * envelope. Its `onSend` hooks run after the HTTP cache's root one, which
 * then tags the payload the envelope is a pure function of.
 */
export const restPlugin = fp(restFace, {
  name: 'buybuy-rest',
  fastify: '5.x',
  encapsulate: true,
  dependencies: ['buybuy-http-cache'],
  decorators: { request: ['cachedResponse'] },
});
