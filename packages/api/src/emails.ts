import {
  emailChangeEmail,
  type EmailContent,
  emailVerificationEmail,
  orderConfirmationEmail,
  passwordResetEmail,
} from '@buybuy/email';
import { type JobQueue, sendEmail } from '@buybuy/jobs';

import type { PlacedOrder } from './orders/schemas';
import type { RateLimiter } from './rate-limit';

/**
 * Every email the shop sends, rendered here and sent through the job queue:
 * a request never waits for SMTP, and a failed send is retried by the queue.
 * Each account link opens a storefront page that posts its token back.
 */
export interface ShopEmails {
  passwordReset(to: string, token: string): Promise<void>;
  verification(to: string, token: string): Promise<void>;
  /**
   * The verification email of a registration that has committed: a queue
   * that refuses it (Redis down) is logged rather than failing a sign-up
   * whose account exists; the user can ask for the link again.
   */
  verificationAfterSignUp(to: string, token: string): Promise<void>;
  emailChange(to: string, token: string): Promise<void>;
  /** The placed order, to the address it was placed with; like sign-up, a refusal is only logged. */
  orderPlaced(order: PlacedOrder): Promise<void>;
}

export interface ShopEmailOptions {
  /** Absent (an API built without jobs, as some tests build it): no email is sent. */
  jobs: JobQueue | undefined;
  shop: string;
  /** The storefront's address, no trailing slash. */
  storefrontUrl: string;
  log?: { warn(fields: object, message: string): void };
}

/** The storefront pages the links open (apps/storefront routes). */
export const LINK_PAGES = {
  passwordReset: '/reset-password',
  verification: '/verify-email',
  emailChange: '/confirm-email',
} as const;

export function createShopEmails(options: ShopEmailOptions): ShopEmails {
  const link = (page: string, token: string) =>
    `${options.storefrontUrl}${page}?token=${encodeURIComponent(token)}`;
  const send = async (to: string, content: EmailContent) => {
    await options.jobs?.enqueue(sendEmail, { to, ...content });
  };
  const shop = options.shop;
  const logged = (what: string, to: string) => (error: unknown) =>
    (options.log ?? console).warn({ err: error, to }, `${what} email not queued`);
  const verification = (to: string, token: string) =>
    send(to, emailVerificationEmail({ shop, url: link(LINK_PAGES.verification, token) }));
  return {
    passwordReset: (to, token) =>
      send(to, passwordResetEmail({ shop, url: link(LINK_PAGES.passwordReset, token) })),
    verification,
    verificationAfterSignUp: (to, token) =>
      verification(to, token).catch(logged('verification', to)),
    emailChange: (to, token) =>
      send(to, emailChangeEmail({ shop, url: link(LINK_PAGES.emailChange, token) })),
    orderPlaced: (order) =>
      send(
        order.email,
        orderConfirmationEmail({
          shop,
          number: order.number,
          currency: order.currency,
          items: order.items,
          subtotal: order.subtotal,
          shipping: order.shipping_method,
          total: order.total,
          paymentInstructions: order.payment_instructions,
        }),
      ).catch(logged('order confirmation', order.email)),
  };
}

/**
 * Counts one email to `address` against its hourly budget, whoever asks
 * (RATE_LIMIT_EMAIL_MAX): nobody can flood an inbox through us. Counted for
 * unknown addresses too, so a 429 tells nothing about whether one exists.
 */
export const spendEmailBudget = (ctx: { limiter: RateLimiter }, address: string) =>
  ctx.limiter.consume('email', `address:${address}`);
