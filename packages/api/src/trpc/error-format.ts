import type { TRPCDefaultErrorShape, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';

import {
  AppError,
  CODE_FOR_STATUS,
  type ErrorCode,
  type FieldError,
  httpStatusOf,
} from '../errors';

/** `error.data` of every tRPC error, and what the REST envelope is built from. */
export interface ErrorData {
  /** Stable UPPER_SNAKE machine code (VALIDATION, EMAIL_TAKEN, NOT_FOUND, ...): errors/codes.ts. */
  code: ErrorCode;
  httpStatus: number;
  errors: FieldError[];
  retryAfter?: number;
}

/** Beyond this many field errors, one more says how many were left out (2,000 unknown keys stay small). */
export const MAX_FIELD_ERRORS = 50;

const capped = (errors: FieldError[]): FieldError[] =>
  errors.length <= MAX_FIELD_ERRORS
    ? errors
    : [
        ...errors.slice(0, MAX_FIELD_ERRORS),
        {
          field: null,
          code: 'VALIDATION',
          message: `${errors.length - MAX_FIELD_ERRORS} more errors not listed`,
        },
      ];

const unknownFieldMessage = (key: PropertyKey) => `Unknown field "${String(key)}"`;

/**
 * The field errors for keys no schema reads (query keys sent to an operation
 * that takes a body): the same entries a strict schema gives, capped.
 */
export const unknownFieldErrors = (keys: string[]): FieldError[] =>
  capped(
    keys.map((key) => ({ field: key, code: 'VALIDATION', message: unknownFieldMessage(key) })),
  );

/** One field error per bad field; an unknown key is reported at its own path. */
const zodErrors = (error: ZodError): FieldError[] =>
  error.issues.flatMap((issue) =>
    (issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => [...issue.path, key])
      : [issue.path]
    ).map((path) => ({
      field: path.length > 0 ? path.join('.') : null,
      code: 'VALIDATION' as const,
      message:
        issue.code === 'unrecognized_keys' ? unknownFieldMessage(path.at(-1)!) : issue.message,
    })),
  );

/**
 * tRPC could not read the call's input (JSON.parse or superjson threw): its
 * message is the library's own ("Unexpected end of JSON input", superjson's
 * "Trying to deserialize unknown class ... check https://github.com/..."),
 * so the error gets ours instead.
 */
const unreadableInput = (error: TRPCError) =>
  (error.code === 'BAD_REQUEST' || error.code === 'PARSE_ERROR') &&
  error.cause instanceof Error &&
  !(error.cause instanceof AppError) &&
  !(error.cause instanceof ZodError);

const UNREADABLE_INPUT_MESSAGE = 'The request input is not valid JSON in the format the API reads';

function errorData(error: TRPCError, shape: TRPCDefaultErrorShape): ErrorData {
  const cause = error.cause;
  if (unreadableInput(error)) return { code: 'MALFORMED_JSON', httpStatus: 400, errors: [] };
  if (cause instanceof AppError) {
    return {
      code: cause.code,
      httpStatus: httpStatusOf(cause),
      errors: cause.errors,
      retryAfter: cause.retryAfter,
    };
  }
  if (cause instanceof ZodError && error.code === 'BAD_REQUEST') {
    return { code: 'VALIDATION', httpStatus: 400, errors: capped(zodErrors(cause)) };
  }
  return { code: CODE_FOR_STATUS[error.code], httpStatus: shape.data.httpStatus, errors: [] };
}

/** The error shape of both faces: our machine code and field errors, never a stack. */
export function errorFormatter({
  shape,
  error,
}: {
  shape: TRPCDefaultErrorShape;
  error: TRPCError;
}) {
  const data = errorData(error, shape);
  const message =
    data.code === 'VALIDATION' && error.cause instanceof ZodError
      ? 'Validation failed'
      : error.code === 'INTERNAL_SERVER_ERROR'
        ? 'Internal server error'
        : unreadableInput(error)
          ? UNREADABLE_INPUT_MESSAGE
          : shape.message;
  // No stack, no SQL, no internal message ever leaves the server.
  return { message, code: shape.code, data };
}
