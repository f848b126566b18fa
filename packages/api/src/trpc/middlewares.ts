import { TRPCError } from '@trpc/server';

import { isGrantable, scopeOf } from '../api-keys/scopes';
import type { ApiKeyPrincipal } from '../api-keys/service';
import { AppError, forbidden, rateLimited, toAppError, unauthorized } from '../errors';
import { type Access, type Context, t, type Viewer } from './init';

/**
 * The checks every call goes through, for procedures and for the plain
 * routes beside them (image uploads) alike: count the call against its
 * caller's budget, then require a caller, then require staff.
 *
 * A bad token only means the IP's budget is counted: calls that need a
 * caller answer it with its 401, and public ones (login included) keep
 * working for a client holding a stale token. A bad API key is refused on
 * every call: a third party's integration should fail loudly, not quietly
 * fall back to what anyone may see.
 *
 * A call with an API key counts against the key's own budget, and reaches
 * only procedures whose `scope` (api-keys/scopes.ts) the key was given,
 * whatever their access: within its scopes a key acts as its admin.
 */
export async function authorize(
  ctx: Context,
  access: 'public',
  forbiddenMessage?: string,
  scope?: string,
): Promise<Viewer | null>;
export async function authorize(
  ctx: Context,
  access: 'authenticated' | 'admin',
  forbiddenMessage?: string,
  scope?: string,
): Promise<Viewer>;
export async function authorize(
  ctx: Context,
  access: Access,
  forbiddenMessage?: string,
  scope?: string,
): Promise<Viewer | null>;
export async function authorize(
  ctx: Context,
  access: Access,
  forbiddenMessage = 'Only administrators can do this',
  scope?: string,
): Promise<Viewer | null> {
  const key = await ctx.apiKey().catch(() => null);
  if (key) return authorizeKey(ctx, key, scope);
  const known = await ctx.viewer().catch((error: unknown) => {
    if (isApiKeyError(error)) return error;
    return null;
  });
  await ctx.limiter.consume(
    'general',
    known && !(known instanceof AppError) ? `user:${known.id}` : `ip:${ctx.ip}`,
  );
  if (known instanceof AppError) throw known;
  if (access === 'public') return known;
  const viewer = await ctx.viewer(); // throws the bad token's 401
  if (!viewer) throw unauthorized('UNAUTHORIZED', 'Sign in to do this');
  if (access === 'admin' && !viewer.is_staff) throw forbidden(forbiddenMessage);
  return viewer;
}

const API_KEY_ERRORS = new Set(['INVALID_API_KEY', 'API_KEY_EXPIRED', 'API_KEY_REVOKED']);
const isApiKeyError = (error: unknown): error is AppError =>
  error instanceof AppError && API_KEY_ERRORS.has(error.code);

async function authorizeKey(ctx: Context, key: ApiKeyPrincipal, scope: string | undefined) {
  await ctx.limiter.consume('apiKey', `key:${key.id}`);
  if (!scope || !isGrantable(scope) || !key.scopes.includes(scope)) {
    const message = scope
      ? `This API key does not have the ${scope} scope`
      : 'API keys cannot call this operation';
    throw new AppError('FORBIDDEN', 'INSUFFICIENT_SCOPE', message);
  }
  return ctx.viewer();
}

/**
 * Maps domain errors to statuses in one place: AppError carries its own,
 * an unreachable database is a 503 (toAppError), anything else stays a 500.
 */
export const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const known = toAppError(result.error.cause);
  if (!known) return result;
  throw new TRPCError({ code: known.status, message: known.message, cause: known });
});

/** Every call, in every face and every batch slot, counts against its caller's budget. */
export const rateLimit = t.middleware(async ({ ctx, path, type, next }) => {
  await authorize(ctx, 'public', undefined, scopeOf(path, type));
  return next();
});

/**
 * `rateLimit` for the public catalog reads, which also tells the procedure
 * whether the caller is an admin (admins see inactive rows): one step where
 * two were, on the reads an uncached page spends its CPU on.
 */
export const catalogReader = t.middleware(async ({ ctx, path, type, next }) => {
  const viewer = await authorize(ctx, 'public', undefined, scopeOf(path, type));
  return next({ ctx: { isAdmin: viewer?.is_staff === true } });
});

/** A signed-in caller, handed to the procedure as `ctx.user`. */
const requireCaller = (access: 'authenticated' | 'admin') =>
  t.middleware(async ({ ctx, path, type, next }) => {
    const viewer = await authorize(ctx, access, undefined, scopeOf(path, type));
    return next({ ctx: { viewer: () => Promise.resolve(viewer), user: viewer } });
  });

export const authenticated = requireCaller('authenticated');
export const adminOnly = requireCaller('admin');

/** Failed sign-ins on one account, from every address together, that lock it for everyone. */
const ACCOUNT_LOCK_FACTOR = 10;

/**
 * Credential endpoints get a much tighter budget per IP (every call). Failed
 * sign-ins are counted per account too, but a spent account budget must not
 * let anyone lock its owner out (issue 10, item 7): it refuses addresses that
 * failed on that account, and a wrong password from any address, while a
 * correct password from an address that has not been failing still signs in.
 * Only ten times the budget of failures (a distributed attack) locks the
 * account for everyone until the window ends.
 */
export const credentialLimit = t.middleware(async ({ ctx, getRawInput, next }) => {
  await ctx.limiter.consume('auth', `ip:${ctx.ip}`);
  const input = (await getRawInput()) as { email?: unknown } | undefined;
  if (typeof input?.email !== 'string') return next();

  const account = `email:${input.email.trim().toLowerCase()}`;
  const here = `${account}:ip:${ctx.ip}`;
  const budget = ctx.limiter.budget('auth');
  const [failures, failuresHere] = await Promise.all([
    ctx.limiter.used('auth', account),
    ctx.limiter.used('auth', here),
  ]);
  const spent = failures.calls >= budget;
  if (failures.calls >= budget * ACCOUNT_LOCK_FACTOR || (spent && failuresHere.calls > 0)) {
    throw rateLimited(failures.retryAfter);
  }

  const result = await next();
  const failed = !result.ok && toAppError(result.error.cause)?.code === 'INVALID_CREDENTIALS';
  if (!failed) return result;
  await Promise.all([ctx.limiter.record('auth', account), ctx.limiter.record('auth', here)]);
  if (spent) throw rateLimited(failures.retryAfter);
  return result;
});
