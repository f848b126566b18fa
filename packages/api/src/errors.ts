import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';

/** One entry of the envelope's `errors` array. `field` is a dot path into the input, or null. */
export interface FieldError {
  field: string | null;
  code: string;
  message: string;
}

/**
 * A domain error: services throw these with a stable machine code, and the
 * router maps them to a status and the envelope in one place (trpc.ts).
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: TRPC_ERROR_CODE_KEY,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
    /** Seconds the caller should wait before retrying (429). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

export const notFound = (what: string) =>
  new AppError('NOT_FOUND', 'NOT_FOUND', `${what} not found`);

export const conflict = (code: string, message: string, field: string | null = null) =>
  new AppError('CONFLICT', code, message, [{ field, code, message }]);

/** A rule violation on one input field, reported like a schema validation error. */
export const invalidField = (field: string, message: string, code = 'VALIDATION') =>
  new AppError('BAD_REQUEST', code, message, [{ field, code, message }]);

export const unauthorized = (code: string, message: string) =>
  new AppError('UNAUTHORIZED', code, message);

export const forbidden = (message = 'You are not allowed to do this') =>
  new AppError('FORBIDDEN', 'FORBIDDEN', message);

export const rateLimited = (retryAfter: number) =>
  new AppError('TOO_MANY_REQUESTS', 'RATE_LIMITED', 'Too many requests, slow down', [], retryAfter);

/** The machine code for errors raised by tRPC or the HTTP layer rather than by a service. */
export const CODE_FOR_STATUS: Partial<Record<TRPC_ERROR_CODE_KEY, string>> = {
  PARSE_ERROR: 'MALFORMED_JSON',
  BAD_REQUEST: 'VALIDATION',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_ALLOWED',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL',
};
