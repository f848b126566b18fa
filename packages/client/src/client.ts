import type { AppRouter } from '@buybuy/api';
import { createTRPCClient, httpBatchLink, httpLink, type TRPCClient } from '@trpc/client';
import superjson from 'superjson';
import { authLink } from './auth-link';
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
 * between concurrent calls) and retries the failed call once.
 *
 * With `getAccessToken`/`getRefreshToken`, `onTokens` must store what it
 * receives so the getters return it; without them the client keeps the
 * tokens of the last sign-in or refresh in memory.
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

  const headers = async () => {
    const token = await session.accessToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  };
  const transport =
    options.batch === false
      ? httpLink({ url, transformer: superjson, fetch: fetchImpl, headers })
      : httpBatchLink({ url, transformer: superjson, fetch: fetchImpl, headers });

  return createTRPCClient<AppRouter>({ links: [authLink(session), transport] });
}
