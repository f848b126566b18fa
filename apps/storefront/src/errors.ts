import {
  errorCode,
  errorsOutsideFields,
  type FieldErrors,
  fieldErrorsOf,
  firstErrorMessage,
  isTRPCClientError,
  isUnreachable,
  retryAfterOf,
} from '@buybuy/client';

const OFFLINE = 'We could not reach the shop. Check your connection and try again.';

/** How long to wait, in the unit a person thinks in: the email budget's waits run to an hour. */
function waitFor(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

/** A sentence for shoppers about any failure. */
export function messageOf(error: unknown): string {
  if (isUnreachable(error)) return OFFLINE;
  if (isTRPCClientError(error)) {
    switch (errorCode(error)) {
      case 'VALIDATION': {
        const count = Object.keys(fieldErrorsOf(error)).length;
        if (count > 0) return correctHighlighted(count);
        return firstErrorMessage(error) ?? 'Some values are not valid.';
      }
      case 'NOT_FOUND':
        return 'We could not find what you were looking for. It may have been removed.';
      case 'INVALID_CREDENTIALS':
        return 'That email and password do not match an account.';
      case 'WRONG_PASSWORD':
        return 'Please correct the highlighted field.';
      case 'LINK_INVALID':
        return 'This link does not work any more: it was used already, or a newer email replaced it.';
      case 'LINK_EXPIRED':
        return 'This link has expired: it works for a limited time only.';
      case 'RATE_LIMITED': {
        const retry = retryAfterOf(error);
        return retry
          ? `Too many attempts. Please wait ${waitFor(retry)} and try again.`
          : 'Too many attempts. Please wait a moment and try again.';
      }
      case 'OUT_OF_STOCK':
      case 'PRODUCT_UNAVAILABLE':
        return `${firstErrorMessage(error) ?? 'Not available'}. We have updated the page with what is left.`;
      case 'INVALID_TRANSITION':
        return 'This order has changed since you opened it, so that is no longer possible.';
      case 'IDEMPOTENCY_KEY_IN_PROGRESS':
        return 'Your order is still being placed. Please wait a moment.';
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

/** The sentence above a form whose fields are highlighted. */
export const correctHighlighted = (count: number) =>
  count === 1
    ? 'Please correct the highlighted field.'
    : `Please correct the ${count} highlighted fields.`;

/**
 * What a form shows: the problems it found before sending (each under its
 * field, one sentence above), else the answer to its last try (the server's
 * field errors, its message, and the errors about fields the form does not
 * show).
 */
export function formFeedback(
  problems: FieldErrors,
  error: unknown,
  shown: readonly string[],
): { fields: FieldErrors; messages: string[] } {
  const count = Object.keys(problems).length;
  if (count > 0) return { fields: problems, messages: [correctHighlighted(count)] };
  const messages = error ? [messageOf(error), ...otherErrorsOf(error, shown)] : [];
  return { fields: fieldErrorsOf(error), messages: [...new Set(messages)] };
}

/** Messages for errors that belong to none of the fields a form shows. */
export function otherErrorsOf(error: unknown, shown: readonly string[]): string[] {
  return errorsOutsideFields(error, shown).map((entry) => entry.message);
}

/** A required text left empty: the API's "Required", or zod's own words where a schema says none. */
const LEFT_EMPTY = /^(Required|Too small: expected string to have >=1 characters?)$/;
/** A text over its limit: the API's words, or zod's own. */
const TOO_LONG =
  /^(?:At most (\d+) characters|Too big: expected string to have <=(\d+) characters?)$/;

/** The server's message for each field, zod's length words said in a shopper's words. */
export function fieldMessagesOf(error: unknown): FieldErrors {
  const fields = fieldErrorsOf(error);
  for (const [field, message] of Object.entries(fields)) {
    if (LEFT_EMPTY.test(message)) fields[field] = 'Please fill this in.';
    const match = TOO_LONG.exec(message);
    const limit = match?.[1] ?? match?.[2];
    if (limit) fields[field] = `Use at most ${limit} characters.`;
  }
  return fields;
}
