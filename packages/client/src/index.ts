// Browser-safe: everything from @buybuy/api is imported as a type only.
export {
  type CallContext,
  createIdempotencyKey,
  withIdempotencyKey,
  withOrderToken,
} from './call-context';
export { type BuyBuyClient, type BuyBuyClientOptions, createBuyBuyClient } from './client';
export {
  type BuyBuyErrorData,
  errorCode,
  errorsOf,
  errorsOutsideFields,
  errorStatus,
  type FieldError,
  type FieldErrors,
  fieldErrorsOf,
  firstErrorMessage,
  isRetryable,
  isUnauthenticated,
  isUnreachable,
  retryAfterOf,
} from './errors';
export { ORDER_STATUS_LABELS, type OrderStatus } from './orders';
export {
  createBrowserTokenStore,
  createMemoryTokenStore,
  type MemoryTokenStore,
  type StorageLike,
  type TokenAccess,
  type Tokens,
} from './tokens';
export type { AppRouter, RouterInputs, RouterOutputs } from '@buybuy/api';
export { isTRPCClientError, TRPCClientError } from '@trpc/client';
