import { carts, type Database, rotatedRefreshTokens, sessions } from '@buybuy/db';
import { and, isNull, lt, type SQL } from 'drizzle-orm';
import type { MySqlTable } from 'drizzle-orm/mysql-core';
import { z } from 'zod';

import { defineJob, type JobSchedule } from './definition';

/**
 * Repeatable clean-ups of rows nobody can use any more. Each deletes in
 * batches of `batchSize` rows (one short statement each, so no sweep holds
 * locks for long or fills the binary log in one transaction), until a batch
 * comes back short. A sweep that deleted something says how much in one
 * line; one that found nothing stays quiet (hourly, that is most of them).
 * Idempotency records need no sweep: they live in Redis
 * with a TTL, or in the API process's bounded map, never in the database.
 */
const batch = z.number().int().min(1).max(10_000).default(1000);

/** Deletes the rows `where` matches, `batchSize` at a time; returns how many went. */
export async function deleteInBatches(
  db: Database,
  table: MySqlTable,
  where: () => SQL | undefined,
  batchSize: number,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const [result] = await db.delete(table).where(where()).limit(batchSize);
    deleted += result.affectedRows;
    if (result.affectedRows < batchSize) return deleted;
  }
}

/** Sessions (refresh token families) past their expiry: the token no longer refreshes. */
export const sweepExpiredSessions = defineJob({
  name: 'sweep.expired-sessions',
  payload: z.object({ batchSize: batch }),
  handler: async ({ batchSize }, { db, log }) => {
    const deleted = await deleteInBatches(
      db,
      sessions,
      () => lt(sessions.expiresAt, new Date()),
      batchSize,
    );
    if (deleted > 0) log.info({ deleted }, 'swept expired sessions');
    return { deleted };
  },
});

/** Rotated refresh tokens kept for reuse detection, once they would have expired anyway. */
export const sweepRotatedRefreshTokens = defineJob({
  name: 'sweep.rotated-refresh-tokens',
  payload: z.object({ batchSize: batch }),
  handler: async ({ batchSize }, { db, log }) => {
    const deleted = await deleteInBatches(
      db,
      rotatedRefreshTokens,
      () => lt(rotatedRefreshTokens.expires_at, new Date()),
      batchSize,
    );
    if (deleted > 0) log.info({ deleted }, 'swept rotated refresh tokens');
    return { deleted };
  },
});

/**
 * Guest carts (no user) untouched for `olderThanDays`: every change to a cart
 * makes it young again (`cart/service.ts`, `touch`). Their lines go with them
 * (ON DELETE CASCADE). A signed-in shopper's cart is never swept.
 */
export const sweepAbandonedGuestCarts = defineJob({
  name: 'sweep.abandoned-guest-carts',
  payload: z.object({ olderThanDays: z.number().int().min(1), batchSize: batch }),
  handler: async ({ olderThanDays, batchSize }, { db, log }) => {
    const cutoff = new Date(Date.now() - olderThanDays * 24 * 3600 * 1000);
    const deleted = await deleteInBatches(
      db,
      carts,
      () => and(isNull(carts.user_id), lt(carts.updated_at, cutoff)),
      batchSize,
    );
    if (deleted > 0) log.info({ deleted, olderThanDays }, 'swept abandoned guest carts');
    return { deleted };
  },
});

export const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** Every sweep, hourly. */
export function sweepSchedules(settings: { guestCartRetentionDays: number }): JobSchedule[] {
  return [
    { job: sweepExpiredSessions, everyMs: SWEEP_EVERY_MS, payload: {} },
    { job: sweepRotatedRefreshTokens, everyMs: SWEEP_EVERY_MS, payload: {} },
    {
      job: sweepAbandonedGuestCarts,
      everyMs: SWEEP_EVERY_MS,
      payload: { olderThanDays: settings.guestCartRetentionDays },
    },
  ] as JobSchedule[];
}
