import { type Database, type User, userProfiles, users } from '@buybuy/db';
import { count, desc, eq, like, or } from 'drizzle-orm';
import type { z } from 'zod';

import { notFound } from '../errors';
import { givenFields } from '../shared/objects';
import { likePattern, toPagination, toTimestamp } from '../shared/schemas';
import type { listUsersInput, updateProfileInput, UserOutput } from './schemas';

export const toUserOutput = (user: User): UserOutput => ({
  id: user.id,
  username: user.username,
  email: user.email,
  first_name: user.first_name,
  last_name: user.last_name,
  is_active: user.is_active,
  is_staff: user.is_staff,
  created_at: toTimestamp(user.created_at),
  updated_at: toTimestamp(user.updated_at),
});

const EMPTY_PROFILE = { phone: '', address: '', city: '', country: '' };

export async function getProfile(db: Database, userId: number) {
  const [row] = await db
    .select({ user: users, profile: userProfiles })
    .from(users)
    .leftJoin(userProfiles, eq(userProfiles.user_id, users.id))
    .where(eq(users.id, userId));
  if (!row) throw notFound('User');
  const profile = row.profile
    ? {
        phone: row.profile.phone,
        address: row.profile.address,
        city: row.profile.city,
        country: row.profile.country,
      }
    : EMPTY_PROFILE;
  return { ...toUserOutput(row.user), profile };
}

/** Partial update of the user's names and profile fields, in one transaction. */
export async function updateProfile(
  db: Database,
  userId: number,
  input: z.output<typeof updateProfileInput>,
) {
  const { first_name, last_name, ...profile } = input;
  await db.transaction(async (tx) => {
    const names = givenFields({ first_name, last_name });
    if (Object.keys(names).length > 0) {
      await tx.update(users).set(names).where(eq(users.id, userId));
    }
    const fields = givenFields(profile);
    if (Object.keys(fields).length > 0) {
      await tx
        .insert(userProfiles)
        .values({ user_id: userId, ...fields })
        .onDuplicateKeyUpdate({ set: { ...fields, updated_at: new Date() } });
    }
  });
  return getProfile(db, userId);
}

export async function listUsers(db: Database, input: z.output<typeof listUsersInput>) {
  const where = input.search
    ? or(
        like(users.username, likePattern(input.search)),
        like(users.email, likePattern(input.search)),
      )
    : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(users)
      .where(where)
      .orderBy(desc(users.created_at), desc(users.id))
      .limit(input.per_page)
      .offset((input.page - 1) * input.per_page),
    db.select({ n: count() }).from(users).where(where),
  ]);
  return {
    items: rows.map(toUserOutput),
    pagination: toPagination(input.page, input.per_page, total?.n ?? 0),
  };
}
