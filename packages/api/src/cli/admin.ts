import type { Auth } from '@buybuy/auth';
import { type Database, userProfiles, users } from '@buybuy/db';
import { eq } from 'drizzle-orm';
import { z } from 'zod';

import { emailSchema, passwordSchema, usernameSchema } from '../auth/schemas';

export const createAdminInput = z.object({
  email: emailSchema,
  username: usernameSchema,
  password: passwordSchema,
});

/**
 * `pnpm admin:create`: makes an admin, or promotes the existing user with
 * that email (whose password and username are then left as they are).
 */
export async function createOrPromoteAdmin(
  db: Database,
  auth: Auth,
  input: z.output<typeof createAdminInput>,
): Promise<{ id: number; promoted: boolean }> {
  const [existing] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, input.email));
  if (existing) {
    await db
      .update(users)
      .set({ is_staff: true, is_active: true })
      .where(eq(users.id, existing.id));
    return { id: existing.id, promoted: true };
  }
  const password_hash = await auth.hashPassword(input.password);
  const id = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(users)
      .values({ email: input.email, username: input.username, password_hash, is_staff: true })
      .$returningId();
    await tx.insert(userProfiles).values({ user_id: created!.id });
    return created!.id;
  });
  return { id, promoted: false };
}
