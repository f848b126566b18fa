import { createBuyBuyClient, type Tokens } from '@buybuy/client';

/** Where the API lives; empty means the storefront is served from the API's origin (or a proxy to it). */
export const API_URL: string = (import.meta.env.VITE_API_URL ?? '').replace(/\/+$/, '');

const STORAGE_KEY = 'buybuy.storefront.tokens';
const listeners = new Set<(tokens: Tokens | null) => void>();

/** Tokens live in localStorage so a reload keeps the shopper signed in; every read goes there so tabs agree. */
export function readTokens(): Tokens | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Tokens) : null;
  } catch {
    return null;
  }
}

export function storeTokens(tokens: Tokens | null) {
  try {
    if (tokens) localStorage.setItem(STORAGE_KEY, JSON.stringify(tokens));
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Private mode or a full quota: the session then lasts as long as the page.
  }
  for (const listener of listeners) listener(tokens);
}

/** Calls `listener` after every sign-in, refresh and sign-out; returns the unsubscribe function. */
export function onTokensChange(listener: (tokens: Tokens | null) => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

// Another tab signed in or out.
window.addEventListener('storage', (event) => {
  if (event.key === STORAGE_KEY) for (const listener of listeners) listener(readTokens());
});

/** The SDK sends the access token, refreshes it silently when it expires and hands us each new pair. */
export const api = createBuyBuyClient({
  baseUrl: API_URL,
  getAccessToken: () => readTokens()?.access_token,
  getRefreshToken: () => readTokens()?.refresh_token,
  onTokens: storeTokens,
});
