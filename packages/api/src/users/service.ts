/**
 * Users: profiles, and the admin's list and access changes.
 *
 * Access rules (updateUserAccess): an admin cannot deactivate themselves or
 * remove their own admin role, and no change may leave the shop without an
 * active admin (is_staff and is_active). The last rule is a write skew: two
 * admins demoting each other at once would each see the other still there.
 * So every change runs in one transaction that first takes a locking read of
 * all active admins' rows (through users_staff_active_idx, so only those
 * rows): concurrent changes queue on those locks, and each counts the admins
 * as the previous one left them. Deactivating ends every session of the user
 * in the same transaction (their access and refresh tokens stop working at
 * once).
 */
import { revokeUserSessions } from '@buybuy/auth';
import { type Database, orders, sessions, type User, userProfiles, users } from '@buybuy/db';
import { and, count, countDistinct, desc, eq, gt, like, or } from 'drizzle-orm';
import type { z } from 'zod';

import { conflict, forbidden, notFound } from '../errors';
import { retryDeadlocks } from '../shared/deadlock';
import { givenFields } from '../shared/objects';
import { likePattern, toPagination, toTimestamp } from '../shared/schemas';
import type {
  listUsersInput,
  updateProfileInput,
  UserAccessChange,
  UserDetail,
  UserOutput,
} from './schemas';

export const toUserOutput = (user: User): UserOutput => ({
  id: user.id,
  username: user.username,
  email: user.email,
  first_name: user.first_name,
  last_name: user.last_name,
  is_active: user.is_active,
  is_staff: user.is_staff,
  email_verified_at: user.email_verified_at ? toTimestamp(user.email_verified_at) : null,
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

/** One user for an admin: profile, orders placed, live sessions. */
export async function getUserDetail(db: Database, userId: number): Promise<UserDetail> {
  const [user, [placed], [live]] = await Promise.all([
    getProfile(db, userId),
    db.select({ n: count() }).from(orders).where(eq(orders.user_id, userId)),
    db
      .select({ n: countDistinct(sessions.familyId) })
      .from(sessions)
      .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, new Date()))),
  ]);
  return { ...user, order_count: placed?.n ?? 0, session_count: live?.n ?? 0 };
}

const ownAccess = (field: 'is_active' | 'is_staff') =>
  conflict(
    'CANNOT_CHANGE_OWN_ACCESS',
    field === 'is_active'
      ? 'You cannot deactivate your own account; ask another admin'
      : 'You cannot remove your own admin role; ask another admin',
    field,
  );

/**
 * An admin (`actorId`) activates or deactivates a user, or grants or revokes
 * admin; see the rules at the top of this file. Returns the user as it now is.
 */
export async function updateUserAccess(
  db: Database,
  actorId: number,
  userId: number,
  change: UserAccessChange,
): Promise<UserDetail> {
  if (actorId === userId) {
    if (change.is_active === false) throw ownAccess('is_active');
    if (change.is_staff === false) throw ownAccess('is_staff');
  }
  const fields = givenFields(change);

  await retryDeadlocks(() =>
    db.transaction(async (tx) => {
      // Every active admin's row, locked: the rule below counts them, and a
      // concurrent change waits here until this one commits.
      const admins = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.is_staff, true), eq(users.is_active, true)))
        .for('update');
      const [target] = await tx
        .select({ is_staff: users.is_staff, is_active: users.is_active })
        .from(users)
        .where(eq(users.id, userId))
        .for('update');
      if (!target) throw notFound('User');

      // One at a time, a caller (an active admin, not the target) always leaves
      // another admin: only the loser of a race meets this rule, so it comes
      // before the check on the caller, whom the winner may just have demoted.
      const wasAdmin = target.is_staff && target.is_active;
      const staysAdmin =
        (change.is_staff ?? target.is_staff) && (change.is_active ?? target.is_active);
      if (wasAdmin && !staysAdmin && admins.length <= 1) {
        const field = change.is_active === false ? 'is_active' : 'is_staff';
        throw conflict(
          'LAST_ADMIN',
          'This is the last active admin: make someone else an admin first',
          field,
        );
      }

      // Demoted or deactivated by another admin while this request was on its way.
      if (!admins.some(({ id }) => id === actorId)) {
        throw forbidden('You are no longer an active admin');
      }

      if (Object.keys(fields).length > 0) {
        await tx.update(users).set(fields).where(eq(users.id, userId));
      }
      if (change.is_active === false) await revokeUserSessions(tx, userId);
    }),
  );
  return getUserDetail(db, userId);
}
