import { sessions, users } from '@buybuy/db';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { getUserDetail, updateUserAccess } from '../src/users/service';
import { appError, aUser, testAuth } from './fixtures';

// The admin's access rules on users, without HTTP (the HTTP and race tests: apps/server/test/users-admin.test.ts).

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test.drop());

const row = async (id: number) => (await test.db.select().from(users).where(eq(users.id, id)))[0]!;

describe('updateUserAccess', () => {
  it('refuses an admin changing their own access, before touching anything', async () => {
    const admin = await aUser(test.db, { is_staff: true });
    expect(
      await appError(updateUserAccess(test.db, admin.id, admin.id, { is_active: false })),
    ).toEqual({ status: 'CONFLICT', code: 'CANNOT_CHANGE_OWN_ACCESS', fields: ['is_active'] });
    expect(
      await appError(updateUserAccess(test.db, admin.id, admin.id, { is_staff: false })),
    ).toEqual({ status: 'CONFLICT', code: 'CANNOT_CHANGE_OWN_ACCESS', fields: ['is_staff'] });
    expect(await row(admin.id)).toMatchObject({ is_staff: true, is_active: true });
  });

  it('refuses to remove the last active admin: a stale caller, as the loser of a race is', async () => {
    const db = await createTestDatabase();
    try {
      const [keeper, stale] = [
        await aUser(db.db, { is_staff: true }),
        await aUser(db.db, { is_staff: true }),
      ];
      // `keeper` demotes `stale` first; `stale`'s own request was already past the admin check.
      await updateUserAccess(db.db, keeper.id, stale.id, { is_staff: false });
      for (const change of [{ is_staff: false }, { is_active: false }]) {
        expect(await appError(updateUserAccess(db.db, stale.id, keeper.id, change))).toEqual({
          status: 'CONFLICT',
          code: 'LAST_ADMIN',
          fields: Object.keys(change),
        });
      }
      // A deactivated admin is no admin: the keeper is still the last one.
      await db.db
        .update(users)
        .set({ is_staff: true, is_active: false })
        .where(eq(users.id, stale.id));
      expect(
        await appError(updateUserAccess(db.db, stale.id, keeper.id, { is_staff: false })),
      ).toMatchObject({ code: 'LAST_ADMIN' });
      const [kept] = await db.db.select().from(users).where(eq(users.id, keeper.id));
      expect(kept).toMatchObject({ is_staff: true, is_active: true });
    } finally {
      await db.drop();
    }
  });

  it('refuses a caller who is no longer an active admin, when the rule would allow the change', async () => {
    const [a, b, customer] = [
      await aUser(test.db, { is_staff: true }),
      await aUser(test.db, { is_staff: true }),
      await aUser(test.db),
    ];
    await updateUserAccess(test.db, a.id, b.id, { is_staff: false });
    expect(
      await appError(updateUserAccess(test.db, b.id, customer.id, { is_staff: true })),
    ).toEqual({ status: 'FORBIDDEN', code: 'FORBIDDEN', fields: [] });
    expect((await row(customer.id)).is_staff).toBe(false);
  });

  it('deactivating ends the sessions in the same change; the detail counts them', async () => {
    const admin = await aUser(test.db, { is_staff: true });
    const user = await aUser(test.db);
    const auth = testAuth(test.db);
    await auth.signIn(user.id);
    await auth.signIn(user.id);
    expect((await getUserDetail(test.db, user.id)).session_count).toBe(2);

    const after = await updateUserAccess(test.db, admin.id, user.id, { is_active: false });
    expect(after).toMatchObject({ is_active: false, session_count: 0 });
    expect(await test.db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
  });

  it('answers 404 for an unknown user', async () => {
    const admin = await aUser(test.db, { is_staff: true });
    expect(
      await appError(updateUserAccess(test.db, admin.id, 999_999, { is_active: true })),
    ).toMatchObject({ status: 'NOT_FOUND', code: 'NOT_FOUND' });
    expect(await appError(getUserDetail(test.db, 999_999))).toMatchObject({ code: 'NOT_FOUND' });
  });
});
