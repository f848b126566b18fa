/**
 * The tokens of the links we email: password reset, email verification,
 * email change. A token is 32 random bytes (base64url) in the link; the
 * database keeps its SHA-256 only, so a leaked table opens no account.
 *
 * - Issuing one retires the user's earlier unused tokens of the same purpose:
 *   only the newest link works.
 * - Redeeming one is single use even under a race: the row is locked
 *   (`FOR UPDATE`) in the caller's transaction and marked used there, so of
 *   two requests with the same link one wins and the other sees it used.
 */
import { createHash, randomBytes } from 'node:crypto';

import {
  type AccountToken,
  type AccountTokenPurpose,
  accountTokens,
  type Executor,
  type Transaction,
} from '@buybuy/db';
import { and, eq, isNull } from 'drizzle-orm';

import { invalidField } from '../errors';

/** How long each kind of link works. */
export const TOKEN_LIFETIME_MS: Record<AccountTokenPurpose, number> = {
  password_reset: 60 * 60 * 1000,
  email_verification: 24 * 60 * 60 * 1000,
  email_change: 24 * 60 * 60 * 1000,
};

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new link token for `userId`, sent to `email`; earlier unused ones of the purpose stop working. */
export async function issueAccountToken(
  db: Executor,
  userId: number,
  purpose: AccountTokenPurpose,
  email: string,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db
    .delete(accountTokens)
    .where(
      and(
        eq(accountTokens.user_id, userId),
        eq(accountTokens.purpose, purpose),
        isNull(accountTokens.used_at),
      ),
    );
  await db.insert(accountTokens).values({
    user_id: userId,
    purpose,
    token_hash: hashToken(token),
    email,
    expires_at: new Date(Date.now() + TOKEN_LIFETIME_MS[purpose]),
  });
  return token;
}

const linkInvalid = () =>
  invalidField(
    'token',
    'This link is not valid: it may have been used already, or a newer one was sent',
    'LINK_INVALID',
  );

/**
 * The live token `token` of `purpose`, marked used in `tx`: the caller's
 * change commits with it or not at all. LINK_INVALID when unknown, used or of
 * another purpose; LINK_EXPIRED when past its lifetime.
 */
export async function redeemAccountToken(
  tx: Transaction,
  purpose: AccountTokenPurpose,
  token: string,
): Promise<AccountToken> {
  const [row] = await tx
    .select()
    .from(accountTokens)
    .where(eq(accountTokens.token_hash, hashToken(token)))
    .for('update');
  if (!row || row.purpose !== purpose || row.used_at) throw linkInvalid();
  if (row.expires_at.getTime() <= Date.now())
    throw invalidField('token', 'This link has expired: ask for a new one', 'LINK_EXPIRED');
  await tx.update(accountTokens).set({ used_at: new Date() }).where(eq(accountTokens.id, row.id));
  return row;
}
