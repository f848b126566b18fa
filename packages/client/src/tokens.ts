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

/** The two browser globals the browser store uses (the package itself runs in Node too). */
const browser = globalThis as {
  localStorage?: StorageLike;
  addEventListener?: (type: 'storage', listener: (event: { key: string | null }) => void) => void;
};

/** The part of the Web Storage API the browser store needs (localStorage, sessionStorage). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Tokens kept in Web Storage, so a reload keeps the user signed in. Every
 * read goes to storage, so tabs agree; another tab's sign-in or sign-out
 * reaches `subscribe` listeners through the `storage` event. When storage
 * refuses a write (private mode, full quota) the session lasts as long as
 * the page.
 */
export function createBrowserTokenStore(
  key: string,
  storage: StorageLike | undefined = browser.localStorage,
): MemoryTokenStore {
  let fallback: Tokens | null = null;
  const listeners = new Set<(tokens: Tokens | null) => void>();
  const get = (): Tokens | null => {
    try {
      const raw = storage?.getItem(key);
      return raw ? (JSON.parse(raw) as Tokens) : fallback;
    } catch {
      return fallback;
    }
  };
  const set = (tokens: Tokens | null) => {
    fallback = tokens;
    try {
      if (tokens) storage?.setItem(key, JSON.stringify(tokens));
      else storage?.removeItem(key);
    } catch {
      // Kept in `fallback` instead: see above.
    }
    for (const listener of listeners) listener(tokens);
  };
  browser.addEventListener?.('storage', (event) => {
    if (event.key !== key) return;
    for (const listener of listeners) listener(get());
  });
  return {
    get,
    set,
    getAccessToken: () => get()?.access_token,
    getRefreshToken: () => get()?.refresh_token,
    onTokens: set,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
