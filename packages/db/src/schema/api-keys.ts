import { datetime, index, json, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';

import { createdAt, id, ref } from './columns';
import { users } from './users';

/**
 * Keys third parties call the API with (issue 14). The secret is shown once
 * and only its SHA-256 is kept: the secret is 32 random bytes, so a fast hash
 * is as safe as a slow one (nothing to brute-force) and costs nothing per
 * request. `prefix` (the first characters of the key) names it in the admin
 * screen and in logs; `last_used_at` is written at most once a minute per key.
 */
export const apiKeys = mysqlTable(
  'api_keys',
  {
    id: id(),
    name: varchar('name', { length: 100 }).notNull(),
    prefix: varchar('prefix', { length: 16 }).notNull(),
    secret_hash: varchar('secret_hash', { length: 64 }).notNull(),
    scopes: json('scopes').$type<string[]>().notNull(),
    created_by: ref('created_by')
      .notNull()
      .references(() => users.id),
    created_at: createdAt(),
    expires_at: datetime('expires_at', { mode: 'date', fsp: 3 }),
    revoked_at: datetime('revoked_at', { mode: 'date', fsp: 3 }),
    last_used_at: datetime('last_used_at', { mode: 'date', fsp: 3 }),
  },
  (table) => [
    uniqueIndex('api_keys_secret_hash_uq').on(table.secret_hash),
    index('api_keys_created_by_idx').on(table.created_by),
  ],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;
