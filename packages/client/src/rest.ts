import createClient, { type Client, type Middleware } from 'openapi-fetch';

import type { components, paths } from './rest-types';

export type { components, operations, paths } from './rest-types';

/** Every named schema of the REST API (User, Product, ErrorEnvelope, ...). */
export type RestSchemas = components['schemas'];

export interface RestClientOptions {
  /** Where the server listens, without `/v1` (e.g. `https://api.buybuy.dev`). */
  baseUrl: string;
  /** An access token, or a function that returns the current one. */
  accessToken?: string | (() => string | null | undefined | Promise<string | null | undefined>);
  fetch?: typeof fetch;
}

export type RestClient = Client<paths>;

/**
 * A typed REST client (openapi-fetch) for third parties. Bodies are the
 * envelope: `{ success, data, message, errors, meta }`. It does not refresh
 * tokens: use the tRPC client for that, or call `POST /auth/refresh` yourself.
 */
export function createRestClient(options: RestClientOptions): RestClient {
  const client = createClient<paths>({
    baseUrl: `${options.baseUrl.replace(/\/+$/, '')}/v1`,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const { accessToken } = options;
  if (accessToken !== undefined) {
    const bearer: Middleware = {
      async onRequest({ request }) {
        const token = typeof accessToken === 'function' ? await accessToken() : accessToken;
        if (token) request.headers.set('authorization', `Bearer ${token}`);
        return request;
      },
    };
    client.use(bearer);
  }
  return client;
}
