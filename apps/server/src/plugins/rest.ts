import { isPage, type Api, type ErrorData, type FieldError, type ProcedureMeta } from '@buybuy/api';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { fastifyTRPCOpenApiPlugin } from 'trpc-to-openapi';
import { requestInfo, retryAfterHeader } from './request';

/** The REST envelope: every /v1 body, success or failure, has this shape. */
export interface Envelope {
  success: boolean;
  data: unknown;
  message: string;
  errors: FieldError[];
  meta: Record<string, unknown>;
}

const STATUS_MESSAGES: Record<number, string> = { 200: 'OK', 201: 'Created' };

export const failure = (message: string, code: string, errors: FieldError[] = []): Envelope => ({
  success: false,
  data: null,
  message,
  errors: errors.length > 0 ? errors : [{ field: null, code, message }],
  meta: {},
});

function successEnvelope(status: number, body: unknown): Envelope {
  const base = { success: true, message: STATUS_MESSAGES[status] ?? 'OK', errors: [] };
  if (isPage(body)) return { ...base, data: body.items, meta: { pagination: body.pagination } };
  return { ...base, data: body ?? null, meta: {} };
}

/** trpc-to-openapi's error body is `{message, code, data: ErrorData, ...}`: re-shape it. */
function errorEnvelope(body: { message?: string; data?: ErrorData }): Envelope {
  const message = body.message ?? 'Request failed';
  return failure(message, body.data?.code ?? 'INTERNAL', body.data?.errors ?? []);
}

/** Status codes Fastify raises before the adapter runs, with our machine codes. */
const FRAMEWORK_CODES: Record<number, [code: string, message: string]> = {
  400: ['MALFORMED_JSON', 'The request body is not valid JSON'],
  404: ['NOT_FOUND', 'Not found'],
  405: ['METHOD_NOT_ALLOWED', 'Method not allowed'],
  413: ['PAYLOAD_TOO_LARGE', 'The request body is too large'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json'],
};

export function sendFrameworkError(reply: FastifyReply, status: number) {
  const [code, message] = FRAMEWORK_CODES[status] ?? ['INTERNAL', 'Internal server error'];
  return reply.code(status).type('application/json').send(failure(message, code));
}

/**
 * The REST face at /v1, generated from the router by trpc-to-openapi. Its
 * hooks and handlers are encapsulated here, so /trpc never sees the envelope.
 */
export async function restPlugin(app: FastifyInstance, { api }: { api: Api }) {
  const procedures = api.router._def.procedures as unknown as Record<string, { _def: { meta?: ProcedureMeta } }>;

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'REST request failed');
    return sendFrameworkError(reply, status in FRAMEWORK_CODES ? status : status >= 500 ? 500 : 400);
  });
  app.setNotFoundHandler((_request, reply) => sendFrameworkError(reply, 404));

  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.getHeader('content-type')?.toString().startsWith('application/json') !== true) return payload;
    const body = typeof payload === 'string' && payload.length > 0 ? JSON.parse(payload) : null;
    if (body && typeof body === 'object' && 'success' in body && 'errors' in body) return payload;
    const envelope = reply.statusCode >= 400 ? errorEnvelope(body ?? {}) : successEnvelope(reply.statusCode, body);
    return JSON.stringify(envelope);
  });

  await app.register(fastifyTRPCOpenApiPlugin, {
    basePath: '/',
    router: api.router,
    createContext: ({ req }: { req: Parameters<typeof requestInfo>[0] }) => api.createContext(requestInfo(req)),
    responseMeta: ({ errors, paths }) => {
      const headers = retryAfterHeader(errors);
      if (errors.length > 0) return { headers };
      const status = paths?.[0] ? procedures[paths[0]]?._def.meta?.successStatus : undefined;
      return { status: status ?? 200, headers };
    },
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') app.log.error({ err: error.cause ?? error, path }, 'REST call failed');
    },
  } as Parameters<typeof fastifyTRPCOpenApiPlugin>[1]);
}
