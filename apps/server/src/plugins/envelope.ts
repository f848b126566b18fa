import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

import { type ErrorCode, type FieldError, isPage } from '@buybuy/api';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The REST envelope: every /v1 body, success or failure, has this shape. */
export interface Envelope {
  success: boolean;
  data: unknown;
  message: string;
  errors: FieldError[];
  meta: Record<string, unknown>;
}

const SUCCESS_MESSAGES: Record<number, string> = { 200: 'OK', 201: 'Created' };

/** The `message` of a success envelope. */
export const successMessage = (status: number) => SUCCESS_MESSAGES[status] ?? 'OK';

/** A success envelope around a procedure's result; a page is lifted to `data` and `meta.pagination`. */
export function success(status: number, body: unknown): Envelope {
  // Keys in the contract's order, so a body reads the same as the docs.
  const message = successMessage(status);
  if (isPage(body)) {
    return {
      success: true,
      data: body.items,
      message,
      errors: [],
      meta: { pagination: body.pagination },
    };
  }
  return { success: true, data: body ?? null, message, errors: [], meta: {} };
}

export const failure = (message: string, code: ErrorCode, errors: FieldError[] = []): Envelope => ({
  success: false,
  data: null,
  message,
  errors: errors.length > 0 ? errors : [{ field: null, code, message }],
  meta: {},
});

/** Statuses the HTTP layer raises itself (before or outside any procedure), with our machine codes. */
const FRAMEWORK_ERRORS: Record<number, [code: ErrorCode, message: string]> = {
  400: ['BAD_REQUEST', 'The request could not be read'],
  404: ['NOT_FOUND', 'Not found'],
  405: ['METHOD_NOT_ALLOWED', 'Method not allowed on this path'],
  408: ['REQUEST_TIMEOUT', 'The request took too long to arrive'],
  413: ['PAYLOAD_TOO_LARGE', 'The request body is too large'],
  414: ['URI_TOO_LONG', 'The request URL is too long'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json'],
  431: ['HEADERS_TOO_LARGE', 'The request headers are too large'],
  500: ['INTERNAL', 'Internal server error'],
  503: ['SERVICE_UNAVAILABLE', 'The service is unavailable, try again shortly'],
};

const MALFORMED_JSON: [ErrorCode, string] = [
  'MALFORMED_JSON',
  'The request body is not valid JSON',
];

export function sendFrameworkError(
  reply: FastifyReply,
  status: number,
  override?: [code: ErrorCode, message: string],
) {
  const known = status in FRAMEWORK_ERRORS ? status : status >= 500 ? 500 : 400;
  const [code, message] = override ?? FRAMEWORK_ERRORS[known]!;
  return reply.code(known).type('application/json; charset=utf-8').send(failure(message, code));
}

/** True for the errors Fastify raises when a JSON body does not parse. */
const isMalformedJson = (error: FastifyError) =>
  error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
  error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
  error instanceof SyntaxError;

/** An error raised while reading a body, answered with its own status, code and message. */
export class BodyError extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorCode: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Error handler for errors Fastify raises before a procedure runs (body
 * parsing, limits, content types): the envelope with a stable code, and for
 * 5xx a generic message only; the details go to the log.
 */
export function frameworkErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const status = error.statusCode ?? 500;
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: error.code, status }, error.message);
  if (error instanceof BodyError)
    return sendFrameworkError(reply, status, [error.errorCode, error.message]);
  if (status === 400 && isMalformedJson(error))
    return sendFrameworkError(reply, 400, MALFORMED_JSON);
  return sendFrameworkError(reply, status);
}

/**
 * Fastify's `clientErrorHandler`: Node's answer to bytes that never became a
 * request (headers over the limit, a request that took too long, a broken
 * request line or chunk, Content-Length with Transfer-Encoding), written on
 * the socket before it closes. In the envelope like every other error.
 */
export function answerClientError(
  this: FastifyInstance,
  error: Error & { code?: string },
  socket: Socket,
) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? 408
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? 431
        : 400;
  this.log.debug({ code: error.code, status }, 'client error');
  const [code, message] = FRAMEWORK_ERRORS[status]!;
  const body = JSON.stringify(failure(message, code));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
