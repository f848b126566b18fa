import { isDatabaseUnreachable } from '@buybuy/db';
import { type TRPC_ERROR_CODE_KEY, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';

import type { CodeWithStatus, ErrorCode } from './codes';

export { type CodeWithStatus, ERROR_CODES, type ErrorCode, statusesOf } from './codes';

/** One entry of the envelope's `errors` array. `field` is a dot path into the input, or null. */
export interface FieldError {
  field: string | null;
  code: ErrorCode;
  message: string;
}

/**
 * A domain error: services throw these with a stable machine code, and the
 * router maps them to a status and the envelope in one place (trpc/).
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: TRPC_ERROR_CODE_KEY,
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
    /** Seconds the caller should wait before retrying (429, 503): sent as `Retry-After`. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

export const notFound = (what: string) =>
  new AppError('NOT_FOUND', 'NOT_FOUND', `${what} not found`);

export const conflict = (code: CodeWithStatus<409>, message: string, field: string | null = null) =>
  new AppError('CONFLICT', code, message, [{ field, code, message }]);

/** A rule violation on one input field, reported like a schema validation error. */
export const invalidField = (
  field: string,
  message: string,
  code: CodeWithStatus<400> = 'VALIDATION',
) => new AppError('BAD_REQUEST', code, message, [{ field, code, message }]);

export const unauthorized = (code: CodeWithStatus<401>, message: string) =>
  new AppError('UNAUTHORIZED', code, message);

export const forbidden = (message = 'You are not allowed to do this') =>
  new AppError('FORBIDDEN', 'FORBIDDEN', message);

export const rateLimited = (retryAfter: number) =>
  new AppError('TOO_MANY_REQUESTS', 'RATE_LIMITED', 'Too many requests, slow down', [], retryAfter);

const DATABASE_UNAVAILABLE = 'The database is unavailable, try again shortly';

/**
 * `Retry-After` on a 503: about what a database restart or a failover takes,
 * so clients neither hammer an instance that cannot answer nor wait long
 * after it can.
 */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * What a failure answers as, on every face: an AppError as itself, an
 * unreachable database as a 503 with `Retry-After`; undefined for anything
 * else (a 500).
 */
export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (isDatabaseUnreachable(error)) {
    return new AppError(
      'SERVICE_UNAVAILABLE',
      'SERVICE_UNAVAILABLE',
      DATABASE_UNAVAILABLE,
      [],
      DATABASE_RETRY_AFTER_SECONDS,
    );
  }
  return undefined;
}

/** The HTTP status of an AppError, as tRPC and trpc-to-openapi answer it. */
export const httpStatusOf = (error: AppError): number =>
  getHTTPStatusCodeFromError(new TRPCError({ code: error.status }));

/** The machine code for errors raised by tRPC or the HTTP layer rather than by a service. */
export const CODE_FOR_STATUS: Record<TRPC_ERROR_CODE_KEY, ErrorCode> = {
  PARSE_ERROR: 'MALFORMED_JSON',
  BAD_REQUEST: 'VALIDATION',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_ALLOWED',
  TIMEOUT: 'REQUEST_TIMEOUT',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL',
  // Never raised by this router or by tRPC for it; named so the code stays one of ours.
  PAYMENT_REQUIRED: 'BAD_REQUEST',
  PRECONDITION_FAILED: 'BAD_REQUEST',
  UNPROCESSABLE_CONTENT: 'BAD_REQUEST',
  PRECONDITION_REQUIRED: 'BAD_REQUEST',
  CLIENT_CLOSED_REQUEST: 'BAD_REQUEST',
  NOT_IMPLEMENTED: 'INTERNAL',
  BAD_GATEWAY: 'INTERNAL',
  GATEWAY_TIMEOUT: 'INTERNAL',
};
