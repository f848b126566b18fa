import { isTRPCClientError } from '@trpc/client';

/** The `error.data` the BuyBuy server puts on every tRPC error. */
export interface BuyBuyErrorData {
  /** Stable UPPER_SNAKE machine code: VALIDATION, TOKEN_EXPIRED, EMAIL_TAKEN, ... (docs/errors.md). */
  code: string;
  httpStatus: number;
  errors: { field: string | null; code: string; message: string }[];
  retryAfter?: number;
}

/** The machine code of a tRPC client error (`'TOKEN_EXPIRED'`, `'EMAIL_TAKEN'`, ...), if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (!isTRPCClientError(error)) return undefined;
  const data = error.data as Partial<BuyBuyErrorData> | undefined;
  return typeof data?.code === 'string' ? data.code : undefined;
}

/** The HTTP status the server answered a failed call with, if it answered. */
export function errorStatus(error: unknown): number | undefined {
  if (!isTRPCClientError(error)) return undefined;
  const data = error.data as Partial<BuyBuyErrorData> | undefined;
  return typeof data?.httpStatus === 'number' ? data.httpStatus : undefined;
}
