// Browser-safe: everything from @buybuy/api is imported as a type only.
export type { AppRouter, RouterInputs, RouterOutputs } from '@buybuy/api';
export { TRPCClientError, isTRPCClientError } from '@trpc/client';
export { createBuyBuyClient, type BuyBuyClient, type BuyBuyClientOptions } from './client';
export {
  createIdempotencyKey,
  withIdempotencyKey,
  withOrderToken,
  type CallContext,
} from './call-context';
export {
  errorCode,
  errorsOf,
  errorsOutsideFields,
  errorStatus,
  fieldErrorsOf,
  firstErrorMessage,
  isUnauthenticated,
  isUnreachable,
  retryAfterOf,
  type BuyBuyErrorData,
  type FieldError,
  type FieldErrors,
} from './errors';
export {
  createBrowserTokenStore,
  createMemoryTokenStore,
  type MemoryTokenStore,
  type StorageLike,
  type TokenAccess,
  type Tokens,
} from './tokens';
