import { createBuyBuyClient, type Tokens } from '@buybuy/client';

/** Where the API lives; empty means the admin is served from the API's own origin (or a proxy). */
export const API_URL: string = (import.meta.env.VITE_API_URL ?? '').replace(/\/+$/, '');

const STORAGE_KEY = 'buybuy.admin.tokens';
const listeners = new Set<(tokens: Tokens | null) => void>();

/** Tokens survive a reload in localStorage; every read goes to storage so tabs agree. */
export function readTokens(): Tokens | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Tokens) : null;
  } catch {
    return null;
  }
}

export function storeTokens(tokens: Tokens | null) {
  if (tokens) localStorage.setItem(STORAGE_KEY, JSON.stringify(tokens));
  else localStorage.removeItem(STORAGE_KEY);
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

export const api = createBuyBuyClient({
  baseUrl: API_URL,
  getAccessToken: () => readTokens()?.access_token,
  getRefreshToken: () => readTokens()?.refresh_token,
  onTokens: storeTokens,
});
