/**
 * Password reset and email verification: the links we email and what
 * following them does. See account-tokens.ts for how the tokens are kept.
 *
 * - Asking for a reset answers the same whether or not the address has an
 *   account (and for a deactivated one), so the answer tells nothing; the
 *   router counts every request per address and per IP.
 * - A reset sets the password and ends every session of the user, in the
 *   token's transaction: whoever held a stolen token or session is out. It
 *   also verifies the address, since the link proved its owner reads it.
 * - Verifying needs the link sent to the address the account has now: a
 *   link to an address changed since is LINK_INVALID.
 */
import { type Auth, revokeUserSessions } from '@buybuy/auth';
import { type Database, duplicateKeyIndex, users } from '@buybuy/db';
import { and, eq, isNull, ne } from 'drizzle-orm';

import type { ShopEmails } from '../emails';
import { conflict, invalidField } from '../errors';
import { toTimestamp } from '../shared/schemas';
import { issueAccountToken, redeemAccountToken } from './account-tokens';

export async function requestPasswordReset(
  db: Database,
  emails: ShopEmails,
  email: string,
): Promise<null> {
  const [user] = await db
    .select({ id: users.id, email: users.email, is_active: users.is_active })
    .from(users)
    .where(eq(users.email, email));
  if (user?.is_active) {
    const token = await issueAccountToken(db, user.id, 'password_reset', user.email);
    await emails.passwordReset(user.email, token);
  }
  return null;
}

export async function resetPassword(
  db: Database,
  auth: Auth,
  input: { token: string; password: string },
): Promise<null> {
  // Hashed before the transaction: bcrypt's tenth of a second must not hold the token's lock.
  const password_hash = await auth.hashPassword(input.password);
  await db.transaction(async (tx) => {
    const token = await redeemAccountToken(tx, 'password_reset', input.token);
    await tx.update(users).set({ password_hash }).where(eq(users.id, token.user_id));
    await tx
      .update(users)
      .set({ email_verified_at: new Date() })
      .where(
        and(
          eq(users.id, token.user_id),
          eq(users.email, token.email),
          isNull(users.email_verified_at),
        ),
      );
    await revokeUserSessions(tx, token.user_id);
  });
  return null;
}

/** The address an account has, and since when it is verified. */
export interface EmailStatus {
  email: string;
  email_verified_at: string | null;
}

const emailStatus = (user: { email: string; email_verified_at: Date | null }): EmailStatus => ({
  email: user.email,
  email_verified_at: user.email_verified_at ? toTimestamp(user.email_verified_at) : null,
});

export async function verifyEmail(db: Database, token: string): Promise<EmailStatus> {
  return db.transaction(async (tx) => {
    const redeemed = await redeemAccountToken(tx, 'email_verification', token);
    const [user] = await tx
      .select({ email: users.email, email_verified_at: users.email_verified_at })
      .from(users)
      .where(eq(users.id, redeemed.user_id))
      .for('update');
    if (user?.email !== redeemed.email)
      throw invalidField(
        'token',
        'This link was sent to an address the account no longer has',
        'LINK_INVALID',
      );
    const verifiedAt = user.email_verified_at ?? new Date();
    await tx
      .update(users)
      .set({ email_verified_at: verifiedAt })
      .where(eq(users.id, redeemed.user_id));
    return emailStatus({ email: user.email, email_verified_at: verifiedAt });
  });
}

/** Sends a new verification link to the user's address; nothing when it is verified already. */
export async function sendVerification(
  db: Database,
  emails: ShopEmails,
  userId: number,
): Promise<null> {
  const [user] = await db
    .select({ email: users.email, email_verified_at: users.email_verified_at })
    .from(users)
    .where(eq(users.id, userId));
  if (user && !user.email_verified_at) {
    const token = await issueAccountToken(db, userId, 'email_verification', user.email);
    await emails.verification(user.email, token);
  }
  return null;
}

const emailTaken = () => conflict('EMAIL_TAKEN', 'This email is already registered', 'email');

/**
 * Moves the account to the address the link was sent to, now verified. The
 * address may have been taken since the request: checked again here, and the
 * unique index settles a race with a registration.
 */
export async function confirmEmailChange(db: Database, token: string): Promise<EmailStatus> {
  try {
    return await db.transaction(async (tx) => {
      const redeemed = await redeemAccountToken(tx, 'email_change', token);
      const [taken] = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.email, redeemed.email), ne(users.id, redeemed.user_id)));
      if (taken) throw emailTaken();
      const verifiedAt = new Date();
      await tx
        .update(users)
        .set({ email: redeemed.email, email_verified_at: verifiedAt })
        .where(eq(users.id, redeemed.user_id));
      return emailStatus({ email: redeemed.email, email_verified_at: verifiedAt });
    });
  } catch (error) {
    if (duplicateKeyIndex(error) === 'users_email_unique') throw emailTaken();
    throw error;
  }
}
