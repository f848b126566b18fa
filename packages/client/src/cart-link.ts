import type { OperationResultEnvelope, TRPCClientError, TRPCLink } from '@trpc/client';
import { observable, type Unsubscribable } from '@trpc/server/observable';

import type { AppRouter } from './router';
import type { Session } from './session';

/** Procedures that work on the caller's cart, so they carry the guest's `X-Cart-Token`. */
export const usesCart = (path: string) => path.startsWith('cart.') || path === 'orders.place';

/**
 * Keeps the guest cart token. A cart call that created a guest cart answers
 * with `cart_token`: it is stored and sent from then on. A cart call made
 * while signed in merges the guest cart into the user's on the server, so
 * once it succeeds the token names nothing and is forgotten (unless a newer
 * one has been stored meanwhile).
 */
export function cartLink(session: Session): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        if (!usesCart(op.path)) return next(op).subscribe(observer);
        let subscription: Unsubscribable | undefined;
        let closed = false;
        // Results are forwarded in order, each after its token bookkeeping is done.
        let queue: Promise<unknown> = Promise.resolve();
        const later = (step: () => unknown) => {
          queue = queue
            .then(step)
            .catch((error: unknown) => observer.error(error as TRPCClientError<AppRouter>));
        };

        later(async () => {
          const sent = {
            signedIn: Boolean(await session.accessToken()),
            cartToken: await session.cartToken(),
          };
          if (closed) return;
          subscription = next(op).subscribe({
            next(envelope) {
              later(async () => {
                await recordCartToken(session, sent, envelope);
                observer.next(envelope);
              });
            },
            error(error) {
              later(() => observer.error(error));
            },
            complete() {
              later(() => observer.complete());
            },
          });
        });
        return () => {
          closed = true;
          subscription?.unsubscribe();
        };
      });
}

async function recordCartToken(
  session: Session,
  sent: { signedIn: boolean; cartToken: string | null | undefined },
  envelope: OperationResultEnvelope<unknown, unknown>,
) {
  const result = envelope.result;
  if (!('data' in result)) return;
  const created = (result.data as { cart_token?: unknown } | null | undefined)?.cart_token;
  if (typeof created === 'string') {
    await session.setCartToken(created);
  } else if (sent.signedIn && sent.cartToken && (await session.cartToken()) === sent.cartToken) {
    await session.setCartToken(null);
  }
}
