import { type Auth, AuthError } from '@buybuy/auth';
import { type Database, duplicateKeyIndex, userProfiles, users } from '@buybuy/db';
import { eq, or } from 'drizzle-orm';
import type { z } from 'zod';

import type { ShopEmails } from '../emails';
import { AppError, type FieldError, unauthorized } from '../errors';
import { toUserOutput } from '../users/service';
import { issueAccountToken } from './account-tokens';
import type { loginInput, registerInput } from './schemas';

const emailTaken = (): FieldError => ({
  field: 'email',
  code: 'EMAIL_TAKEN',
  message: 'This email is already registered',
});
const usernameTaken = (): FieldError => ({
  field: 'username',
  code: 'USERNAME_TAKEN',
  message: 'This username is taken',
});

const takenError = (errors: FieldError[]) =>
  new AppError('CONFLICT', errors[0]!.code, errors.map((e) => e.message).join('; '), errors);

/** Creates the account and signs it in; a link to verify the address is emailed (recovery.ts). */
export async function registerUser(
  db: Database,
  auth: Auth,
  emails: ShopEmails,
  input: z.output<typeof registerInput>,
) {
  const existing = await db
    .select({ email: users.email, username: users.username })
    .from(users)
    .where(or(eq(users.email, input.email), eq(users.username, input.username)));
  const conflicts = [
    ...(existing.some((u) => u.email === input.email) ? [emailTaken()] : []),
    ...(existing.some((u) => u.username.toLowerCase() === input.username.toLowerCase())
      ? [usernameTaken()]
      : []),
  ];
  if (conflicts.length > 0) throw takenError(conflicts);

  const password_hash = await auth.hashPassword(input.password);
  let userId: number;
  let verificationToken: string;
  try {
    ({ userId, verificationToken } = await db.transaction(async (tx) => {
      const [created] = await tx
        .insert(users)
        .values({
          username: input.username,
          email: input.email,
          password_hash,
          first_name: input.first_name ?? '',
          last_name: input.last_name ?? '',
        })
        .$returningId();
      await tx.insert(userProfiles).values({ user_id: created!.id });
      const token = await issueAccountToken(tx, created!.id, 'email_verification', input.email);
      return { userId: created!.id, verificationToken: token };
    }));
  } catch (error) {
    // Two registrations racing for the same email or username: the unique index decides.
    const index = duplicateKeyIndex(error);
    if (index === 'users_email_unique') throw takenError([emailTaken()]);
    if (index === 'users_username_unique') throw takenError([usernameTaken()]);
    throw error;
  }
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  // After the commit: a queued email must never name an account that was rolled back.
  await emails.verificationAfterSignUp(input.email, verificationToken);
  return { user: toUserOutput(user!), tokens: await auth.signIn(userId) };
}

/** Wrong email and wrong password get the same answer, after the same bcrypt work. */
export async function loginUser(db: Database, auth: Auth, input: z.output<typeof loginInput>) {
  const [user] = await db.select().from(users).where(eq(users.email, input.email));
  const ok = await auth.verifyPassword(input.password, user?.password_hash ?? null);
  if (!user || !ok) throw unauthorized('INVALID_CREDENTIALS', 'Invalid email or password');
  if (!user.is_active)
    throw new AppError('FORBIDDEN', 'ACCOUNT_DISABLED', 'This account is disabled');
  // A hash from before BCRYPT_COST changed would answer faster than an unknown email: bring it in line.
  if (auth.needsRehash(user.password_hash)) {
    const password_hash = await auth.hashPassword(input.password);
    await db.update(users).set({ password_hash }).where(eq(users.id, user.id));
  }
  return { user: toUserOutput(user), tokens: await auth.signIn(user.id) };
}

export async function refreshTokens(auth: Auth, refreshToken: string) {
  try {
    return { tokens: await auth.refresh(refreshToken) };
  } catch (error) {
    if (error instanceof AuthError) throw unauthorized(error.code, error.message);
    throw error;
  }
}
