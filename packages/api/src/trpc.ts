import type { Auth } from '@buybuy/auth';
import { isDatabaseUnreachable, type Database } from '@buybuy/db';
import { initTRPC, TRPCError } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { ZodError } from 'zod';
import { AppError, CODE_FOR_STATUS, forbidden, unauthorized, type FieldError } from './errors';
import type { CatalogCache } from './cache';
import type { RateLimiter } from './rate-limit';
import { transformer } from './transformer';

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
}

/** What the HTTP layer knows about one request. */
export interface RequestInfo {
  ip: string;
  authorization: string | undefined;
}

export interface Context extends ApiDeps {
  ip: string;
  /** Resolves the caller once per request: null when anonymous, throws 401 on a bad token. */
  viewer: () => Promise<Viewer | null>;
}

export function createContext(deps: ApiDeps, request: RequestInfo): Context {
  let viewer: Promise<Viewer | null> | undefined;
  return {
    ...deps,
    ip: request.ip,
    viewer: () => (viewer ??= resolveViewer(deps.authenticator, request.authorization)),
  };
}

async function resolveViewer(authenticator: Authenticator, header: string | undefined) {
  if (!header) return null;
  const [scheme, token] = header.split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token) {
    throw unauthorized('INVALID_TOKEN', 'Authorization must be "Bearer <access token>"');
  }
  return authenticator.authenticate(token);
}

/** Extra fields of procedure meta beyond trpc-to-openapi's. */
export interface ProcedureMeta extends OpenApiMeta {
  /** HTTP status on success (201 for creates). */
  successStatus?: 200 | 201;
}

export interface ErrorData {
  /** Stable UPPER_SNAKE machine code (VALIDATION, EMAIL_TAKEN, NOT_FOUND, ...). */
  code: string;
  httpStatus: number;
  errors: FieldError[];
  retryAfter?: number;
}

/** One field error per bad field; an unknown key is reported at its own path. */
const zodErrors = (error: ZodError): FieldError[] =>
  error.issues.flatMap((issue) =>
    (issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => [...issue.path, key])
      : [issue.path]
    ).map((path) => ({
      field: path.length > 0 ? path.join('.') : null,
      code: 'VALIDATION',
      message:
        issue.code === 'unrecognized_keys'
          ? `Unknown field "${String(path.at(-1))}"`
          : issue.message,
    })),
  );

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      const internal = error.code === 'INTERNAL_SERVER_ERROR';
      let data: ErrorData;
      if (cause instanceof AppError) {
        data = {
          code: cause.code,
          httpStatus: shape.data.httpStatus,
          errors: cause.errors,
          retryAfter: cause.retryAfter,
        };
      } else if (cause instanceof ZodError && error.code === 'BAD_REQUEST') {
        data = { code: 'VALIDATION', httpStatus: 400, errors: zodErrors(cause) };
      } else {
        data = {
          code: CODE_FOR_STATUS[error.code] ?? error.code,
          httpStatus: shape.data.httpStatus,
          errors: [],
        };
      }
      const message =
        data.code === 'VALIDATION' && cause instanceof ZodError
          ? 'Validation failed'
          : internal
            ? 'Internal server error'
            : shape.message;
      // No stack, no SQL, no internal message ever leaves the server.
      return { message, code: shape.code, data };
    },
  });

/**
 * Maps domain errors to statuses in one place: AppError carries its own,
 * an unreachable database is a 503, anything else stays a 500.
 */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof AppError) {
    throw new TRPCError({ code: cause.status, message: cause.message, cause });
  }
  if (isDatabaseUnreachable(cause)) {
    throw new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: 'The database is unavailable, try again shortly',
      cause: new AppError(
        'SERVICE_UNAVAILABLE',
        'SERVICE_UNAVAILABLE',
        'The database is unavailable, try again shortly',
      ),
    });
  }
  return result;
});

/**
 * Every call, in every face and every batch slot, counts against its caller's
 * budget. A bad token here only means the IP's budget is used: procedures that
 * need a caller answer it with a 401 themselves, and public ones (login
 * included) keep working for a client holding a stale token.
 */
const rateLimit = t.middleware(async ({ ctx, next }) => {
  const viewer = await ctx.viewer().catch(() => null);
  await ctx.limiter.consume('general', viewer ? `user:${viewer.id}` : `ip:${ctx.ip}`);
  return next();
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

export const publicProcedure = t.procedure.use(mapErrors).use(rateLimit);

export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const viewer = await ctx.viewer();
  if (!viewer) throw unauthorized('UNAUTHORIZED', 'Sign in to do this');
  return next({ ctx: { viewer: () => Promise.resolve(viewer), user: viewer } });
});

export const adminProcedure = authedProcedure.use(async ({ ctx, next }) => {
  if (!ctx.user.is_staff) throw forbidden('Only administrators can do this');
  return next();
});

/**
 * Credential endpoints get a much tighter budget, keyed on the IP and on the
 * submitted email, so password guessing is slowed whichever face it uses.
 */
export const credentialProcedure = publicProcedure.use(async ({ ctx, getRawInput, next }) => {
  await ctx.limiter.consume('auth', `ip:${ctx.ip}`);
  const input = (await getRawInput()) as { email?: unknown } | undefined;
  if (typeof input?.email === 'string') {
    await ctx.limiter.consume('auth', `email:${input.email.trim().toLowerCase()}`);
  }
  return next();
});
