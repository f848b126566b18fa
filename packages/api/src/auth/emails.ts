import {
  emailChangeEmail,
  type EmailContent,
  emailVerificationEmail,
  passwordResetEmail,
} from '@buybuy/email';
import { type JobQueue, sendEmail } from '@buybuy/jobs';

import type { RateLimiter } from '../rate-limit';

/**
 * The account emails, rendered here and sent through the job queue: a
 * request never waits for SMTP, and a failed send is retried by the queue.
 * Each link opens a storefront page that posts its token back to the API.
 */
export interface AccountEmails {
  passwordReset(to: string, token: string): Promise<void>;
  verification(to: string, token: string): Promise<void>;
  /**
   * The verification email of a registration that has committed: a queue
   * that refuses it (Redis down) is logged rather than failing a sign-up
   * whose account exists; the user can ask for the link again.
   */
  verificationAfterSignUp(to: string, token: string): Promise<void>;
  emailChange(to: string, token: string): Promise<void>;
}

export interface AccountEmailOptions {
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

export function createAccountEmails(options: AccountEmailOptions): AccountEmails {
  const link = (page: string, token: string) =>
    `${options.storefrontUrl}${page}?token=${encodeURIComponent(token)}`;
  const send = async (to: string, content: EmailContent) => {
    await options.jobs?.enqueue(sendEmail, { to, ...content });
  };
  const shop = options.shop;
  const verification = (to: string, token: string) =>
    send(to, emailVerificationEmail({ shop, url: link(LINK_PAGES.verification, token) }));
  return {
    passwordReset: (to, token) =>
      send(to, passwordResetEmail({ shop, url: link(LINK_PAGES.passwordReset, token) })),
    verification,
    verificationAfterSignUp: (to, token) =>
      verification(to, token).catch((error: unknown) =>
        (options.log ?? console).warn({ err: error, to }, 'verification email not queued'),
      ),
    emailChange: (to, token) =>
      send(to, emailChangeEmail({ shop, url: link(LINK_PAGES.emailChange, token) })),
  };
}

/**
 * Counts one email to `address` against its hourly budget, whoever asks
 * (RATE_LIMIT_EMAIL_MAX): nobody can flood an inbox through us. Counted for
 * unknown addresses too, so a 429 tells nothing about whether one exists.
 */
export const spendEmailBudget = (ctx: { limiter: RateLimiter }, address: string) =>
  ctx.limiter.consume('email', `address:${address}`);
