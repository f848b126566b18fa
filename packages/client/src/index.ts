// Self-contained: the router's types are generated into router-types.ts, so no server package is imported.
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
export type { AppRouter, ErrorShape, RouterInputs, RouterOutputs } from './router';
export {
  createBrowserTokenStore,
  createMemoryTokenStore,
  type MemoryTokenStore,
  type StorageLike,
  type TokenAccess,
  type Tokens,
} from './tokens';
export { isTRPCClientError, TRPCClientError } from '@trpc/client';
