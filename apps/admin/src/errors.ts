import { errorCode, errorStatus, isTRPCClientError, type BuyBuyErrorData } from '@buybuy/client';

export type FieldErrors = Record<string, string>;

/** A sentence for people about any failure: the server's own message when it answered. */
export function messageOf(error: unknown): string {
  if (error instanceof UploadError) return error.message;
  if (isTRPCClientError(error)) {
    const code = errorCode(error);
    if (!code || errorStatus(error) === undefined) {
      return 'The server could not be reached. Check your connection and try again.';
    }
    // Forms show field errors beside their fields; the summary only points at them.
    const count = Object.keys(fieldErrorsOf(error)).length;
    if (count > 0) {
      return `Please correct the ${count === 1 ? 'highlighted field' : `${count} highlighted fields`}.`;
    }
    if (code === 'VALIDATION') return firstMessage(error) ?? 'Some values are not valid.';
    if (code === 'RATE_LIMITED') {
      const retry = (error.data as Partial<BuyBuyErrorData> | undefined)?.retryAfter;
      return retry
        ? `Too many requests. Try again in ${retry} second${retry === 1 ? '' : 's'}.`
        : 'Too many requests. Try again in a moment.';
    }
    if (code === 'SERVICE_UNAVAILABLE')
      return 'The service is temporarily unavailable. Try again shortly.';
    if (code === 'INTERNAL')
      return 'Something went wrong on the server. Try again, or contact support.';
    return error.message || firstMessage(error) || 'The request failed.';
  }
  if (error instanceof TypeError) {
    return 'The server could not be reached. Check your connection and try again.';
  }
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}

function listOf(error: unknown): BuyBuyErrorData['errors'] {
  if (error instanceof UploadError) return error.errors;
  if (!isTRPCClientError(error)) return [];
  const data = error.data as Partial<BuyBuyErrorData> | undefined;
  return Array.isArray(data?.errors) ? data.errors : [];
}

function firstMessage(error: unknown): string | undefined {
  return listOf(error)[0]?.message;
}

/**
 * The server's field errors keyed by dot path (`price`, `images.0.alt_text`);
 * the first message of each field wins.
 */
export function fieldErrorsOf(error: unknown): FieldErrors {
  const fields: FieldErrors = {};
  for (const entry of listOf(error)) {
    if (entry.field && !(entry.field in fields)) fields[entry.field] = entry.message;
  }
  return fields;
}

/** Errors that belong to no field the form shows, so they are listed above it. */
export function otherErrorsOf(error: unknown, shown: readonly string[]): string[] {
  return listOf(error)
    .filter((entry) => !entry.field || !shown.some((name) => entry.field === name))
    .map((entry) => (entry.field ? `${entry.field}: ${entry.message}` : entry.message));
}

export function isUnauthenticated(error: unknown) {
  return errorStatus(error) === 401;
}

/** A failed upload, carrying the REST envelope's message and errors. */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errors: BuyBuyErrorData['errors'] = [],
  ) {
    super(message);
    this.name = 'UploadError';
  }
}
