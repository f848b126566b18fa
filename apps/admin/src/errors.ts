import {
  errorCode,
  errorsOutsideFields,
  type FieldError,
  fieldErrorsOf,
  firstErrorMessage,
  isTRPCClientError,
  isUnreachable,
  retryAfterOf,
} from '@buybuy/client';

/** A sentence for people about any failure: the server's own message when it answered. */
export function messageOf(error: unknown): string {
  if (error instanceof UploadError) return error.message;
  if (isUnreachable(error)) {
    return 'The server could not be reached. Check your connection and try again.';
  }
  if (isTRPCClientError(error)) {
    const code = errorCode(error);
    // Forms show field errors beside their fields; the summary only points at them.
    const count = Object.keys(fieldErrorsOf(error)).length;
    if (count > 0) {
      return `Please correct the ${count === 1 ? 'highlighted field' : `${count} highlighted fields`}.`;
    }
    if (code === 'VALIDATION') return firstErrorMessage(error) ?? 'Some values are not valid.';
    if (code === 'RATE_LIMITED') {
      const retry = retryAfterOf(error);
      return retry
        ? `Too many requests. Try again in ${retry} second${retry === 1 ? '' : 's'}.`
        : 'Too many requests. Try again in a moment.';
    }
    if (code === 'SERVICE_UNAVAILABLE')
      return 'The service is temporarily unavailable. Try again shortly.';
    if (code === 'INTERNAL')
      return 'Something went wrong on the server. Try again, or contact support.';
    return error.message || firstErrorMessage(error) || 'The request failed.';
  }
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}

/** Errors that belong to no field the form shows, listed above it with the field they name. */
export function otherErrorsOf(error: unknown, shown: readonly string[]): string[] {
  return errorsOutsideFields(error, shown).map((entry) =>
    entry.field ? `${entry.field}: ${entry.message}` : entry.message,
  );
}

/** A failed upload, carrying the REST envelope's message and errors. */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'UploadError';
  }
}
