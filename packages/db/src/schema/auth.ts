import {
  datetime,
  index,
  mysqlEnum,
  mysqlTable,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core';

import { createdAt, id, ref } from './columns';
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

export const ACCOUNT_TOKEN_PURPOSES = [
  'password_reset',
  'email_verification',
  'email_change',
] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];

/**
 * The tokens of the links we email (reset a password, confirm an address).
 * Only the SHA-256 of a token is kept: the token is 32 random bytes, so a fast
 * hash is enough and the look-up is one indexed equality. `email` is the
 * address the link was sent to: the address to verify, or the new one an
 * email change moves to. A token works once (`used_at`), until `expires_at`.
 */
export const accountTokens = mysqlTable(
  'account_tokens',
  {
    id: id(),
    user_id: ref('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: mysqlEnum('purpose', ACCOUNT_TOKEN_PURPOSES).notNull(),
    token_hash: varchar('token_hash', { length: 64 }).notNull(),
    email: varchar('email', { length: 254 }).notNull(),
    expires_at: datetime('expires_at', { mode: 'date', fsp: 3 }).notNull(),
    used_at: datetime('used_at', { mode: 'date', fsp: 3 }),
    created_at: createdAt(),
  },
  (table) => [
    uniqueIndex('account_tokens_token_hash_uq').on(table.token_hash),
    index('account_tokens_user_purpose_idx').on(table.user_id, table.purpose),
  ],
);

export type Session = typeof sessions.$inferSelect;
export type AccountToken = typeof accountTokens.$inferSelect;
