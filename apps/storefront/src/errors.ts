import { errorCode, errorStatus, isTRPCClientError, type BuyBuyErrorData } from '@buybuy/client';

export type FieldErrors = Record<string, string>;

const OFFLINE = 'We could not reach the shop. Check your connection and try again.';

/** A sentence for shoppers about any failure. */
export function messageOf(error: unknown): string {
  if (isTRPCClientError(error)) {
    const code = errorCode(error);
    if (!code || errorStatus(error) === undefined) return OFFLINE;
    switch (code) {
      case 'VALIDATION': {
        const count = Object.keys(fieldErrorsOf(error)).length;
        if (count > 1) return `Please correct the ${count} highlighted fields.`;
        if (count === 1) return 'Please correct the highlighted field.';
        return firstMessage(error) ?? 'Some values are not valid.';
      }
      case 'NOT_FOUND':
        return 'We could not find what you were looking for. It may have been removed.';
      case 'INVALID_CREDENTIALS':
        return 'That email and password do not match an account.';
      case 'RATE_LIMITED': {
        const retry = (error.data as Partial<BuyBuyErrorData> | undefined)?.retryAfter;
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
        return firstMessage(error) ?? (error.message || 'The request failed.');
    }
  }
  if (error instanceof TypeError) return OFFLINE;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}

function listOf(error: unknown): BuyBuyErrorData['errors'] {
  if (!isTRPCClientError(error)) return [];
  const data = error.data as Partial<BuyBuyErrorData> | undefined;
  return Array.isArray(data?.errors) ? data.errors : [];
}

function firstMessage(error: unknown): string | undefined {
  return listOf(error)[0]?.message;
}

/** The server's field errors keyed by field name; the first message of each field wins. */
export function fieldErrorsOf(error: unknown): FieldErrors {
  const fields: FieldErrors = {};
  for (const entry of listOf(error)) {
    if (entry.field && !(entry.field in fields)) fields[entry.field] = entry.message;
  }
  return fields;
}

/** Messages for errors that belong to none of the fields a form shows. */
export function otherErrorsOf(error: unknown, shown: readonly string[]): string[] {
  return listOf(error)
    .filter((entry) => !entry.field || !shown.includes(entry.field))
    .map((entry) => entry.message);
}
