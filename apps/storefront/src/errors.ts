import {
  errorCode,
  errorsOutsideFields,
  fieldErrorsOf,
  firstErrorMessage,
  isTRPCClientError,
  isUnreachable,
  retryAfterOf,
} from '@buybuy/client';

const OFFLINE = 'We could not reach the shop. Check your connection and try again.';

/** A sentence for shoppers about any failure. */
export function messageOf(error: unknown): string {
  if (isUnreachable(error)) return OFFLINE;
  if (isTRPCClientError(error)) {
    switch (errorCode(error)) {
      case 'VALIDATION': {
        const count = Object.keys(fieldErrorsOf(error)).length;
        if (count > 1) return `Please correct the ${count} highlighted fields.`;
        if (count === 1) return 'Please correct the highlighted field.';
        return firstErrorMessage(error) ?? 'Some values are not valid.';
      }
      case 'NOT_FOUND':
        return 'We could not find what you were looking for. It may have been removed.';
      case 'INVALID_CREDENTIALS':
        return 'That email and password do not match an account.';
      case 'RATE_LIMITED': {
        const retry = retryAfterOf(error);
        return retry
          ? `Too many attempts. Please wait ${retry} second${retry === 1 ? '' : 's'} and try again.`
          : 'Too many attempts. Please wait a moment and try again.';
      }
      case 'SERVICE_UNAVAILABLE':
        return 'The shop is briefly unavailable. Please try again in a minute.';
      case 'INTERNAL':
        return 'Something went wrong on our side. Please try again.';
      case 'UNAUTHORIZED':
      case 'INVALID_TOKEN':
      case 'TOKEN_EXPIRED':
      case 'SESSION_REVOKED':
        return 'Your session has ended. Please sign in again.';
      default:
        return firstErrorMessage(error) ?? (error.message || 'The request failed.');
    }
  }
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}

/** Messages for errors that belong to none of the fields a form shows. */
export function otherErrorsOf(error: unknown, shown: readonly string[]): string[] {
  return errorsOutsideFields(error, shown).map((entry) => entry.message);
}
