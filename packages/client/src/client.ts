import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  type Operation,
  splitLink,
  type TRPCClient,
} from '@trpc/client';
import superjson from 'superjson';

import { authLink } from './auth-link';
import { callHeaders, hasCallHeaders } from './call-context';
import { cartLink, usesCart } from './cart-link';
import type { AppRouter } from './router';
import { createSession } from './session';
import type { TokenAccess } from './tokens';

export interface BuyBuyClientOptions extends TokenAccess {
  /** Where the server listens, without a trailing `/trpc` (e.g. `https://api.buybuy.dev`). */
  baseUrl: string;
  /** A fetch implementation; defaults to the global one. */
  fetch?: typeof fetch;
  /** Pack calls made in the same tick into one request (default true). */
  batch?: boolean;
}

export type BuyBuyClient = TRPCClient<AppRouter>;

/**
 * The typed tRPC client of the BuyBuy API. It sends the access token as a
 * Bearer header, refreshes it once when it expires (sharing one refresh
 * between concurrent calls) and retries the failed call once. It keeps a
 * guest's cart token the same way (see cartLink), and sends a call's
 * Idempotency-Key or order token (withIdempotencyKey, withOrderToken) as
 * headers, on a request of its own.
 *
 * With `getAccessToken`/`getRefreshToken` (`getCartToken`), `onTokens`
 * (`onCartToken`) must store what it receives so the getters return it;
 * without them the client keeps what it last received in memory.
 */
export function createBuyBuyClient(options: BuyBuyClientOptions): BuyBuyClient {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/trpc`;
  const fetchImpl = options.fetch;

  // The refresh goes through its own plain link, never through the retrying one.
  const refresher = createTRPCClient<AppRouter>({
    links: [httpLink({ url, transformer: superjson, fetch: fetchImpl })],
  });
  const session = createSession(options, async (refreshToken) => {
    const { tokens } = await refresher.auth.refresh.mutate({ refresh_token: refreshToken });
    return tokens;
  });

  const sessionHeaders = async (ops: readonly Operation[]) => {
    const headers: Record<string, string> = {};
    const token = await session.accessToken();
    if (token) headers.authorization = `Bearer ${token}`;
    const cartToken = ops.some((op) => usesCart(op.path)) ? await session.cartToken() : null;
    if (cartToken) headers['x-cart-token'] = cartToken;
    return headers;
  };
  const single = httpLink({
    url,
    transformer: superjson,
    fetch: fetchImpl,
    headers: async ({ op }) => ({ ...(await sessionHeaders([op])), ...callHeaders(op) }),
  });
  // A batch shares one set of headers: calls with headers of their own go alone.
  const transport =
    options.batch === false
      ? single
      : splitLink({
          condition: hasCallHeaders,
          true: single,
          false: httpBatchLink({
            url,
            // The server refuses a batch of more than 50 calls (MAX_TRPC_BATCH): split before that.
            maxItems: 50,
            transformer: superjson,
            fetch: fetchImpl,
            headers: ({ opList }) => sessionHeaders(opList),
          }),
        });

  return createTRPCClient<AppRouter>({ links: [cartLink(session), authLink(session), transport] });
}
