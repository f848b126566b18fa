import type { RouterOutputs } from '@buybuy/api';

/** The pair auth.register, auth.login and auth.refresh return. */
export type Tokens = RouterOutputs['auth']['refresh']['tokens'];

type MaybePromise<T> = T | Promise<T>;

/** Where the client reads tokens from and writes them to; any storage can implement it. */
export interface TokenAccess {
  getAccessToken?: () => MaybePromise<string | null | undefined>;
  getRefreshToken?: () => MaybePromise<string | null | undefined>;
  /** Receives every new pair (sign-in, refresh) and null when the session ends or a refresh is refused. */
  onTokens?: (tokens: Tokens | null) => MaybePromise<void>;
}

export interface MemoryTokenStore extends Required<TokenAccess> {
  get: () => Tokens | null;
  set: (tokens: Tokens | null) => void;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe: (listener: (tokens: Tokens | null) => void) => () => void;
}

/**
 * Tokens kept in memory, for scripts, tests and apps that persist them
 * elsewhere. Spread it into the client options:
 * `createBuyBuyClient({ baseUrl, ...createMemoryTokenStore() })`.
 */
export function createMemoryTokenStore(initial: Tokens | null = null): MemoryTokenStore {
  let current = initial;
  const listeners = new Set<(tokens: Tokens | null) => void>();
  const set = (tokens: Tokens | null) => {
    current = tokens;
    for (const listener of listeners) listener(tokens);
  };
  return {
    get: () => current,
    set,
    getAccessToken: () => current?.access_token,
    getRefreshToken: () => current?.refresh_token,
    onTokens: set,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
