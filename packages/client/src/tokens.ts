import type { RouterOutputs } from './router';

/** The pair auth.register, auth.login and auth.refresh return. */
export type Tokens = RouterOutputs['auth']['refresh']['tokens'];

type MaybePromise<T> = T | Promise<T>;

/** Where the client reads tokens from and writes them to; any storage can implement it. */
export interface TokenAccess {
  getAccessToken?: () => MaybePromise<string | null | undefined>;
  getRefreshToken?: () => MaybePromise<string | null | undefined>;
  /** Receives every new pair (sign-in, refresh) and null when the session ends or a refresh is refused. */
  onTokens?: (tokens: Tokens | null) => MaybePromise<void>;
  /** A guest's cart token (`X-Cart-Token`), if they have one. */
  getCartToken?: () => MaybePromise<string | null | undefined>;
  /** Receives the token of a new guest cart, and null once that cart has been merged into a signed-in user's. */
  onCartToken?: (token: string | null) => MaybePromise<void>;
}

export interface MemoryTokenStore extends Required<TokenAccess> {
  get: () => Tokens | null;
  set: (tokens: Tokens | null) => void;
  // Synchronous here, whatever other stores may do.
  onTokens: (tokens: Tokens | null) => void;
  getCartToken: () => string | null;
  onCartToken: (token: string | null) => void;
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
  let cartToken: string | null = null;
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
    getCartToken: () => cartToken,
    onCartToken: (token) => {
      cartToken = token;
    },
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
 * the page. A guest's cart token is kept beside the pair, under
 * `<key>.cart`, so the cart outlives a reload and a sign-out alike.
 */
export function createBrowserTokenStore(
  key: string,
  storage: StorageLike | undefined = browser.localStorage,
): MemoryTokenStore {
  const pair = storedText(key, storage);
  const cart = storedText(`${key}.cart`, storage);
  const listeners = new Set<(tokens: Tokens | null) => void>();
  const get = (): Tokens | null => {
    const raw = pair.get();
    try {
      return raw ? (JSON.parse(raw) as Tokens) : null;
    } catch {
      return null;
    }
  };
  const set = (tokens: Tokens | null) => {
    pair.set(tokens ? JSON.stringify(tokens) : null);
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
    getCartToken: cart.get,
    onCartToken: cart.set,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * One string in Web Storage. The page keeps its own copy, read only while
 * storage is missing or refuses writes: otherwise storage is the truth, so a
 * value another tab removed is gone here too.
 */
function storedText(key: string, storage: StorageLike | undefined) {
  let local: string | null = null;
  let refused = storage === undefined;
  return {
    get: (): string | null => {
      if (refused || !storage) return local;
      try {
        return storage.getItem(key);
      } catch {
        return local;
      }
    },
    set: (value: string | null) => {
      local = value;
      if (!storage) return;
      try {
        if (value === null) storage.removeItem(key);
        else storage.setItem(key, value);
        refused = false;
      } catch {
        refused = true;
      }
    },
  };
}
