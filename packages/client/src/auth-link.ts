import type { OperationResultEnvelope, TRPCClientError, TRPCLink } from '@trpc/client';
import { observable, type Unsubscribable } from '@trpc/server/observable';

import { errorCode } from './errors';
import type { AppRouter } from './router';
import type { Session } from './session';
import type { Tokens } from './tokens';

/** Procedures whose success starts a session: their output carries `tokens`. */
const SIGN_IN = new Set(['auth.login', 'auth.register']);

/**
 * Keeps the session alive across access-token expiry. A call that fails with
 * TOKEN_EXPIRED waits for one shared refresh and is retried once; when the
 * refresh is refused, the original error reaches the caller. It also stores
 * the tokens of a successful sign-in and forgets them on logout.
 */
export function authLink(session: Session): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        let subscription: Unsubscribable | undefined;
        let closed = false;
        // Results are forwarded in order, each after its token bookkeeping is done.
        let queue: Promise<unknown> = Promise.resolve();
        const later = (step: () => unknown) => {
          queue = queue
            .then(step)
            .catch((error: unknown) => observer.error(error as TRPCClientError<AppRouter>));
        };

        const attempt = (retried: boolean) => {
          const sentWith = session.generation();
          subscription = next(op).subscribe({
            next(envelope) {
              later(async () => {
                await recordTokens(session, op.path, envelope);
                observer.next(envelope);
              });
            },
            error(error) {
              later(async () => {
                if (!retried && !closed && errorCode(error) === 'TOKEN_EXPIRED') {
                  // Someone refreshed since this call left: just resend it with the new token.
                  const renewed = session.generation() !== sentWith || (await session.refresh());
                  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unsubscribed during the await
                  if (renewed && !closed) return attempt(true);
                }
                if (op.path === 'auth.logout' && error.data?.httpStatus === 401)
                  await session.setTokens(null);
                observer.error(error);
              });
            },
            complete() {
              later(() => observer.complete());
            },
          });
        };

        attempt(false);
        return () => {
          closed = true;
          subscription?.unsubscribe();
        };
      });
}

async function recordTokens(
  session: Session,
  path: string,
  envelope: OperationResultEnvelope<unknown, unknown>,
) {
  const result = envelope.result;
  if (!('data' in result)) return;
  if (SIGN_IN.has(path)) {
    const tokens = (result.data as { tokens?: Tokens } | undefined)?.tokens;
    if (tokens) await session.setTokens(tokens);
  } else if (path === 'auth.logout') {
    await session.setTokens(null);
  }
}
