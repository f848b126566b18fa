import { errorStatus } from './errors';
import { createMemoryTokenStore, type TokenAccess, type Tokens } from './tokens';

/**
 * The client's view of the sign-in: where tokens live, and the one refresh
 * that every request failing with TOKEN_EXPIRED waits on.
 */
export interface Session {
  accessToken: () => Promise<string | null | undefined>;
  /** Bumped after every token change, so a request can tell whether it was sent with stale tokens. */
  generation: () => number;
  setTokens: (tokens: Tokens | null) => Promise<void>;
  /**
   * Refreshes once for everyone waiting: resolves true when a new pair is
   * stored. A refresh the server refuses (401/400) ends the session
   * (onTokens(null)); a network or server failure keeps the tokens.
   */
  refresh: () => Promise<boolean>;
  /** The guest cart token to send as `X-Cart-Token`, if any. */
  cartToken: () => Promise<string | null | undefined>;
  setCartToken: (token: string | null) => Promise<void>;
}

export function createSession(
  access: TokenAccess,
  exchange: (refreshToken: string) => Promise<Tokens>,
): Session {
  // Without getters, the client keeps the tokens it sees itself.
  const memory = createMemoryTokenStore();
  const getAccessToken = access.getAccessToken ?? memory.getAccessToken;
  const getRefreshToken = access.getRefreshToken ?? memory.getRefreshToken;
  const getCartToken = access.getCartToken ?? memory.getCartToken;
  let generation = 0;
  let inflight: Promise<boolean> | undefined;

  const setTokens = async (tokens: Tokens | null) => {
    memory.set(tokens);
    await access.onTokens?.(tokens);
    // Only after the store has the new pair, so requests stamped with the new generation send it.
    generation += 1;
  };

  const refreshNow = async (): Promise<boolean> => {
    const refreshToken = await getRefreshToken();
    if (!refreshToken) {
      await setTokens(null);
      return false;
    }
    let tokens: Tokens;
    try {
      tokens = await exchange(refreshToken);
    } catch (error) {
      const status = errorStatus(error);
      if (status === 400 || status === 401 || status === 403) await setTokens(null);
      return false;
    }
    await setTokens(tokens);
    return true;
  };

  return {
    accessToken: async () => getAccessToken(),
    generation: () => generation,
    setTokens,
    refresh: () =>
      (inflight ??= refreshNow().finally(() => {
        inflight = undefined;
      })),
    cartToken: async () => getCartToken(),
    setCartToken: async (token) => {
      memory.onCartToken(token);
      await access.onCartToken?.(token);
    },
  };
}
