import { boolean, datetime, index, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';

import { createdAt, id, ref, updatedAt } from './columns';

export const users = mysqlTable(
  'users',
  {
    id: id(),
    username: varchar('username', { length: 150 }).notNull(),
    email: varchar('email', { length: 254 }).notNull(),
    password_hash: varchar('password_hash', { length: 255 }).notNull(),
    first_name: varchar('first_name', { length: 150 }).notNull().default(''),
    last_name: varchar('last_name', { length: 150 }).notNull().default(''),
    is_active: boolean('is_active').notNull().default(true),
    is_staff: boolean('is_staff').notNull().default(false),
    /** When the owner followed a link sent to `email`; null until then (they may still sign in and order). */
    email_verified_at: datetime('email_verified_at', { mode: 'date', fsp: 3 }),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (table) => [
    uniqueIndex('users_email_unique').on(table.email),
    uniqueIndex('users_username_unique').on(table.username),
    index('users_created_at_idx').on(table.created_at),
    // The admin rules lock the active admins' rows (users/service.ts); this keeps that read to them.
    index('users_staff_active_idx').on(table.is_staff, table.is_active),
  ],
);

export const userProfiles = mysqlTable(
  'user_profiles',
  {
    id: id(),
    user_id: ref('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    phone: varchar('phone', { length: 32 }).notNull().default(''),
    address: varchar('address', { length: 255 }).notNull().default(''),
    city: varchar('city', { length: 120 }).notNull().default(''),
    country: varchar('country', { length: 120 }).notNull().default(''),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (table) => [uniqueIndex('user_profiles_user_id_unique').on(table.user_id)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type UserProfile = typeof userProfiles.$inferSelect;
