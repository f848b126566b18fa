import { randomBytes } from 'node:crypto';

import {
  cartItems,
  carts,
  categories,
  onQuery,
  products,
  rotatedRefreshTokens,
  sessions,
  users,
} from '@buybuy/db';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  type JobDeps,
  sweepAbandonedGuestCarts,
  sweepExpiredSessions,
  sweepRotatedRefreshTokens,
} from '../src';
import { noImageStore, recordingLogger } from './support';

const DAY = 24 * 3600 * 1000;
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const ago = (ms: number) => new Date(Date.now() - ms);
const ahead = (ms: number) => new Date(Date.now() + ms);

let database: TestDatabase;
let deps: JobDeps;
const log = recordingLogger();
let userId: number;
let otherUserId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = { db: database.db, log, images: noImageStore };
  const [first] = await database.db
    .insert(users)
    .values({ username: 'ann', email: 'ann@example.com', password_hash: 'x' })
    .$returningId();
  const [second] = await database.db
    .insert(users)
    .values({ username: 'bob', email: 'bob@example.com', password_hash: 'x' })
    .$returningId();
  userId = first!.id;
  otherUserId = second!.id;
});

afterAll(async () => {
  await database.drop();
});

describe('sweeps', () => {
  it('deletes exactly the expired sessions, in batches', async () => {
    const expired = Array.from({ length: 5 }, () => hex(32));
    const live = [hex(32), hex(32)];
    await database.db.insert(sessions).values([
      ...expired.map((id, i) => ({
        id,
        userId,
        familyId: hex(16),
        expiresAt: ago((i + 1) * 1000),
      })),
      ...live.map((id) => ({ id, userId, familyId: hex(16), expiresAt: ahead(DAY) })),
    ]);
    // Batches of 2: three statements for five rows, and the sweep stops on the short one.
    const deletes: string[] = [];
    const stop = onQuery(database.pool, ({ sql }) => {
      if (/^\s*delete/i.test(sql)) deletes.push(sql);
    });
    const result = await sweepExpiredSessions.handler({ batchSize: 2 }, deps);
    stop();
    expect(result).toEqual({ deleted: 5 });
    expect(deletes).toHaveLength(3);
    expect(deletes[0]).toMatch(/limit/i);
    const left = await database.db.select({ id: sessions.id }).from(sessions);
    expect(left.map((row) => row.id).sort()).toEqual([...live].sort());
    expect(await sweepExpiredSessions.handler({ batchSize: 2 }, deps)).toEqual({ deleted: 0 });
    // One line for the sweep that deleted something, none for the one that found nothing.
    expect(log.lines.filter((line) => line.message === 'swept expired sessions')).toHaveLength(1);
  });

  it('deletes exactly the rotated refresh tokens past their expiry', async () => {
    const family = hex(16);
    const expired = [hex(32), hex(32), hex(32)];
    const live = hex(32);
    await database.db.insert(rotatedRefreshTokens).values([
      ...expired.map((token_hash) => ({
        token_hash,
        family_id: family,
        expires_at: ago(60_000),
      })),
      { token_hash: live, family_id: family, expires_at: ahead(60_000) },
    ]);
    expect(await sweepRotatedRefreshTokens.handler({ batchSize: 1000 }, deps)).toEqual({
      deleted: 3,
    });
    const left = await database.db.select().from(rotatedRefreshTokens);
    expect(left.map((row) => row.token_hash)).toEqual([live]);
  });

  it('deletes guest carts untouched for the retention period, with their lines, never a user cart', async () => {
    const [category] = await database.db
      .insert(categories)
      .values({ name: 'Tea', slug: `tea-${hex(3)}` })
      .$returningId();
    const [product] = await database.db
      .insert(products)
      .values({
        name: 'Green tea',

        price: '4.50',
        category_id: category!.id,
      })
      .$returningId();
    const cart = async (values: { user_id?: number; updated_at: Date }) => {
      const [row] = await database.db
        .insert(carts)
        .values({ token_hash: values.user_id ? null : hex(32), ...values })
        .$returningId();
      await database.db
        .insert(cartItems)
        .values({ cart_id: row!.id, product_id: product!.id, quantity: 1 });
      return row!.id;
    };
    const abandoned = [
      await cart({ updated_at: ago(31 * DAY) }),
      await cart({ updated_at: ago(90 * DAY) }),
    ];
    const recentGuest = await cart({ updated_at: ago(29 * DAY) });
    const oldUserCart = await cart({ user_id: userId, updated_at: ago(400 * DAY) });
    const newUserCart = await cart({ user_id: otherUserId, updated_at: ago(DAY) });

    const result = await sweepAbandonedGuestCarts.handler(
      { olderThanDays: 30, batchSize: 1 },
      deps,
    );
    expect(result).toEqual({ deleted: abandoned.length });
    const left = await database.db.select({ id: carts.id }).from(carts);
    expect(left.map((row) => row.id).sort((a, b) => a - b)).toEqual([
      recentGuest,
      oldUserCart,
      newUserCart,
    ]);
    const lines = await database.db.select({ cart: cartItems.cart_id }).from(cartItems);
    expect(lines.map((line) => line.cart).sort((a, b) => a - b)).toEqual([
      recentGuest,
      oldUserCart,
      newUserCart,
    ]);
  });

  it('refuses a payload out of bounds', () => {
    expect(sweepExpiredSessions.payload.safeParse({ batchSize: 0 }).success).toBe(false);
    expect(sweepExpiredSessions.payload.parse({})).toEqual({ batchSize: 1000 });
    expect(sweepAbandonedGuestCarts.payload.safeParse({ olderThanDays: 0 }).success).toBe(false);
  });
});
