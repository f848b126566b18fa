import type { Auth } from '@buybuy/auth';
import type { Database } from '@buybuy/db';
import type { JobQueue } from '@buybuy/jobs';
import { initTRPC } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';

import { type ApiKeyPrincipal, looksLikeApiKey, verifyApiKey } from '../api-keys/service';
import type { CatalogCache } from '../cache';
import type { ShopEmails } from '../emails';
import { unauthorized } from '../errors';
import type { IdempotencyStore } from '../idempotency/store';
import type { ProductImageFiles } from '../products/image-files';
import type { RateLimiter } from '../rate-limit';
import { transformer } from '../transformer';
import { errorFormatter } from './error-format';

/** The signed-in caller, as established from a valid access token. */
export interface Viewer {
  id: number;
  username: string;
  email: string;
  is_staff: boolean;
  /** The session family the access token names (stable across refresh rotations). */
  session_id: string;
}

/** What the auth package provides to the router. */
export interface Authenticator {
  /** Verifies an access token and its live session; throws an AppError (401) otherwise. */
  authenticate(accessToken: string): Promise<Viewer>;
}

/** Long-lived pieces, built once per server by createApi. */
export interface ApiDeps {
  db: Database;
  auth: Auth;
  authenticator: Authenticator;
  limiter: RateLimiter;
  /** Cache of the public catalog reads (Redis, in-process, or off). */
  cache: CatalogCache;
  /** Results of writes sent with an `Idempotency-Key`, for replays. */
  idempotency: IdempotencyStore;
  /** The shop's name and its one currency (ISO 4217). */
  shop: { name: string; currency: string };
  /** Variants of saved uploads, files of dropped images (absent: files are kept as they are). */
  imageFiles?: ProductImageFiles;
  /** The background job queue, for the admin's view of it (absent: the API runs no jobs). */
  jobs?: JobQueue;
  /** Password reset, verification and email-change links, sent through the job queue. */
  emails: ShopEmails;
}

/** What the HTTP layer knows about one request. */
export interface RequestInfo {
  ip: string;
  authorization: string | undefined;
  /** `X-API-Key`: a third party's key, the same as `Authorization: Bearer bb_live_…`. */
  apiKey?: string;
  /** `Idempotency-Key`: a write sent again with the same key is answered once. */
  idempotencyKey?: string;
  /** `X-Cart-Token`: names a guest's cart. */
  cartToken?: string;
  /** `X-Order-Token`: lets a guest read and cancel their order. */
  orderToken?: string;
  /** Told who signed the call once the token or key checks out (the server's request log names them). */
  onCaller?: (caller: { userId: number; apiKeyId: number | null }) => void;
}

export interface Context extends ApiDeps, Omit<RequestInfo, 'authorization' | 'apiKey'> {
  /**
   * Resolves the caller once per request: null when anonymous, throws 401 on a
   * bad token or key. With an API key, the admin the key acts for.
   */
  viewer: () => Promise<Viewer | null>;
  /** The API key the call came with, if any (same resolution as `viewer`). */
  apiKey: () => Promise<ApiKeyPrincipal | null>;
}

interface Caller {
  viewer: Viewer | null;
  apiKey: ApiKeyPrincipal | null;
}

export function createContext(deps: ApiDeps, request: RequestInfo): Context {
  let caller: Promise<Caller> | undefined;
  const resolve = () =>
    (caller ??= resolveCaller(deps, request).then((found) => {
      if (found.viewer) {
        request.onCaller?.({ userId: found.viewer.id, apiKeyId: found.apiKey?.id ?? null });
      }
      return found;
    }));
  // Each dependency named, in one literal V8 builds at once: `{...deps, ip,
  // ...}` copied `deps`, then added the request's fields one by one in its
  // runtime (Node 20), microseconds on every call. `satisfies` keeps the list
  // whole: a dependency added to ApiDeps and left out here fails to compile.
  return {
    db: deps.db,
    auth: deps.auth,
    authenticator: deps.authenticator,
    limiter: deps.limiter,
    cache: deps.cache,
    idempotency: deps.idempotency,
    shop: deps.shop,
    imageFiles: deps.imageFiles,
    jobs: deps.jobs,
    emails: deps.emails,
    ip: request.ip,
    idempotencyKey: request.idempotencyKey,
    cartToken: request.cartToken,
    orderToken: request.orderToken,
    viewer: async () => (await resolve()).viewer,
    apiKey: async () => (await resolve()).apiKey,
  } satisfies Record<keyof ApiDeps, unknown> & Partial<Context>;
}

const ANONYMOUS: Caller = { viewer: null, apiKey: null };

async function resolveCaller(deps: ApiDeps, request: RequestInfo): Promise<Caller> {
  const header = request.authorization;
  if (request.apiKey !== undefined) {
    if (header) throw unauthorized('INVALID_API_KEY', 'Send X-API-Key or Authorization, not both');
    return asKey(await verifyApiKey(deps.db, request.apiKey));
  }
  if (!header) return ANONYMOUS;
  // Exactly a scheme, one space and the token: trailing words are refused, not dropped.
  const [scheme, token, ...rest] = header.split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token || rest.length > 0) {
    throw unauthorized('INVALID_TOKEN', 'Authorization must be "Bearer <access token>"');
  }
  if (looksLikeApiKey(token)) return asKey(await verifyApiKey(deps.db, token));
  return { viewer: await deps.authenticator.authenticate(token), apiKey: null };
}

/** A key acts as the admin who created it, only ever within its scopes (authorize). */
const asKey = (key: ApiKeyPrincipal): Caller => ({
  apiKey: key,
  viewer: { ...key.createdBy, is_staff: true, session_id: `api-key:${key.id}` },
});

/** Who may call: anyone, any signed-in user, or staff only. */
export type Access = 'public' | 'authenticated' | 'admin';

/** Extra fields of procedure meta beyond trpc-to-openapi's. */
export interface ProcedureMeta extends OpenApiMeta {
  /** HTTP status on success (201 for creates). */
  successStatus?: 200 | 201;
  /** Set by the procedure builders (procedures.ts), so the router can be read for who may call what. */
  access?: Access;
  /**
   * The same answer for every caller without a token, so shared caches (the
   * response cache, a CDN) may keep it: the catalog reads and the shop's info.
   * Opt-in: a public read that depends on a header (a guest's cart or order)
   * must never be stored and served to someone else.
   */
  sharedCache?: boolean;
}

export const t = initTRPC.context<Context>().meta<ProcedureMeta>().create({
  transformer,
  errorFormatter,
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;
