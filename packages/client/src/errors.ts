import { isTRPCClientError } from '@trpc/client';

/** The `error.data` the BuyBuy server puts on every tRPC error. */
export interface BuyBuyErrorData {
  /** Stable UPPER_SNAKE machine code: VALIDATION, TOKEN_EXPIRED, EMAIL_TAKEN, ... (docs/errors.md). */
  code: string;
  httpStatus: number;
  errors: FieldError[];
  retryAfter?: number;
}

/** One entry of the server's error list: `field` is a dot path into the input, or null. */
export interface FieldError {
  field: string | null;
  code: string;
  message: string;
}

/** The first message of each field, keyed by its dot path (`price`, `images.0.alt_text`). */
export type FieldErrors = Record<string, string>;

function dataOf(error: unknown): Partial<BuyBuyErrorData> | undefined {
  if (!isTRPCClientError(error)) return undefined;
  return error.data as Partial<BuyBuyErrorData> | undefined;
}

/** The machine code of a tRPC client error (`'TOKEN_EXPIRED'`, `'EMAIL_TAKEN'`, ...), if it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = dataOf(error)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The HTTP status the server answered a failed call with, if it answered. */
export function errorStatus(error: unknown): number | undefined {
  const status = dataOf(error)?.httpStatus;
  return typeof status === 'number' ? status : undefined;
}

/** Seconds the server asked to wait before trying again (RATE_LIMITED), if it said. */
export function retryAfterOf(error: unknown): number | undefined {
  const seconds = dataOf(error)?.retryAfter;
  return typeof seconds === 'number' ? seconds : undefined;
}

/** The call was refused for want of a valid sign-in (401), as opposed to any other failure. */
export function isUnauthenticated(error: unknown): boolean {
  return errorStatus(error) === 401;
}

/**
 * No answer from the server: the network failed or something in between
 * answered without the server's error data. Worth a "check your connection",
 * not the server's words.
 */
export function isUnreachable(error: unknown): boolean {
  if (isTRPCClientError(error)) return !errorCode(error) || errorStatus(error) === undefined;
  // fetch itself rejects with a TypeError when the request never got an answer.
  return error instanceof TypeError;
}

/**
 * Asking again could go differently: no answer came back, the server failed
 * (5xx) or timed out (408), or it asked for a wait (429). Anything else the
 * server refused (a bad filter, a missing product) answers the same again,
 * so a screen offers no "Try again" for it.
 */
export function isRetryable(error: unknown): boolean {
  if (isUnreachable(error)) return true;
  const status = errorStatus(error);
  if (status === undefined) return false;
  return status >= 500 || status === 408 || status === 429;
}

/** The server's error list of a failed call; empty for anything else. */
export function errorsOf(error: unknown): FieldError[] {
  const errors = dataOf(error)?.errors;
  return Array.isArray(errors) ? errors : [];
}

/** The first message in the server's error list, if any. */
export function firstErrorMessage(error: unknown): string | undefined {
  return errorsOf(error)[0]?.message;
}

/** The server's errors that name a field, keyed by field; the first message of each field wins. */
export function fieldErrorsOf(error: unknown): FieldErrors {
  const fields: FieldErrors = {};
  for (const entry of errorsOf(error)) {
    if (entry.field && !(entry.field in fields)) fields[entry.field] = entry.message;
  }
  return fields;
}

/** The server's errors that belong to none of `shownFields`, for a form to list above itself. */
export function errorsOutsideFields(error: unknown, shownFields: readonly string[]): FieldError[] {
  return errorsOf(error).filter((entry) => !entry.field || !shownFields.includes(entry.field));
}
