import { datetime, index, mysqlTable, varchar } from 'drizzle-orm/mysql-core';

import { createdAt, ref } from './columns';
import { users } from './users';

/**
 * Lucia's session table. `id` is the SHA-256 of the current refresh token, so
 * the database never holds a usable token. `family_id` is stable across
 * refresh rotations: access tokens name it, and logout or reuse detection
 * deletes the row, which kills both kinds of token at once.
 */
export const sessions = mysqlTable(
  'sessions',
  {
    id: varchar('id', { length: 64 }).primaryKey(),
    // Lucia's adapter reads these by their TypeScript names, hence camelCase keys here only.
    userId: ref('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: datetime('expires_at', { mode: 'date' }).notNull(),
    familyId: varchar('family_id', { length: 32 }).notNull(),
    created_at: createdAt(),
  },
  (table) => [
    index('sessions_user_id_idx').on(table.userId),
    index('sessions_family_id_idx').on(table.familyId),
  ],
);

/** Hashes of refresh tokens that were rotated away; presenting one again revokes its family. */
export const rotatedRefreshTokens = mysqlTable(
  'rotated_refresh_tokens',
  {
    token_hash: varchar('token_hash', { length: 64 }).primaryKey(),
    family_id: varchar('family_id', { length: 32 }).notNull(),
    expires_at: datetime('expires_at', { mode: 'date' }).notNull(),
  },
  (table) => [index('rotated_refresh_tokens_family_idx').on(table.family_id)],
);

export type Session = typeof sessions.$inferSelect;
