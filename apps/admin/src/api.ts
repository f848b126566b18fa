import { createBrowserTokenStore, createBuyBuyClient } from '@buybuy/client';
import { createQueries } from '@buybuy/client/query';

/** Where the API lives; empty means the admin is served from the API's own origin (or a proxy). */
export const API_URL: string = (import.meta.env.VITE_API_URL ?? '').replace(/\/+$/, '');

/** Tokens survive a reload in localStorage; tabs share them. */
const tokens = createBrowserTokenStore('buybuy.admin.tokens');

export const readTokens = tokens.get;
export const storeTokens = tokens.set;
/** Calls `listener` after every sign-in, refresh and sign-out (in any tab); returns the unsubscribe function. */
export const onTokensChange = tokens.subscribe;

/** The SDK sends the access token, refreshes it silently when it expires and hands us each new pair. */
export const api = createBuyBuyClient({ baseUrl: API_URL, ...tokens });

/** Query keys and options derived from the router: `queries.products.list.queryOptions(input)`. */
export const queries = createQueries(api);
