/**
 * A signed-in user's own password and email. Both need the current password:
 * a session left open on a shared computer must not be enough to take the
 * account over.
 *
 * - A new password ends every other session of the user (their access and
 *   refresh tokens stop working at once); the caller's own stays.
 * - A new email is only requested here: a link goes to the new address, and
 *   the account keeps its old one until the link is followed
 *   (auth.confirmEmailChange). EMAIL_TAKEN is checked now and again then.
 */
import { type Auth, revokeUserSessions } from '@buybuy/auth';
import { type Database, users } from '@buybuy/db';
import { eq } from 'drizzle-orm';

import { issueAccountToken } from '../auth/account-tokens';
import type { ShopEmails } from '../emails';
import { conflict, invalidField, notFound } from '../errors';

/** The caller: their user id and the session family their access token names. */
interface Caller {
  id: number;
  session_id: string;
}

async function checkCurrentPassword(db: Database, auth: Auth, userId: number, password: string) {
  const [user] = await db
    .select({ email: users.email, password_hash: users.password_hash })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw notFound('User');
  if (!(await auth.verifyPassword(password, user.password_hash)))
    throw invalidField('current_password', 'The current password is wrong', 'WRONG_PASSWORD');
  return user;
}

export async function changePassword(
  db: Database,
  auth: Auth,
  caller: Caller,
  input: { current_password: string; new_password: string },
): Promise<null> {
  await checkCurrentPassword(db, auth, caller.id, input.current_password);
  const password_hash = await auth.hashPassword(input.new_password);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ password_hash }).where(eq(users.id, caller.id));
    await revokeUserSessions(tx, caller.id, { except: caller.session_id });
  });
  return null;
}

export async function requestEmailChange(
  db: Database,
  auth: Auth,
  emails: ShopEmails,
  caller: Caller,
  input: { new_email: string; current_password: string },
): Promise<null> {
  const user = await checkCurrentPassword(db, auth, caller.id, input.current_password);
  if (input.new_email === user.email)
    throw invalidField('new_email', 'This is already your email address');
  const [taken] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, input.new_email));
  if (taken) throw conflict('EMAIL_TAKEN', 'This email is already registered', 'new_email');
  const token = await issueAccountToken(db, caller.id, 'email_change', input.new_email);
  await emails.emailChange(input.new_email, token);
  return null;
}
