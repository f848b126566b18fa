import { sql } from 'drizzle-orm';
import { bigint, datetime } from 'drizzle-orm/mysql-core';

/** Primary key: BIGINT UNSIGNED AUTO_INCREMENT, read as a JS number. */
export const id = () =>
  bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey();

/** A column that points at an `id()` primary key. */
export const ref = (name: string) => bigint(name, { mode: 'number', unsigned: true });

/** UTC timestamps with millisecond precision (DATETIME(3) works on MySQL 8 and MariaDB alike). */
export const createdAt = () =>
  datetime('created_at', { mode: 'date', fsp: 3 })
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`)
    .$defaultFn(() => new Date());

export const updatedAt = () =>
  datetime('updated_at', { mode: 'date', fsp: 3 })
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`)
    .$defaultFn(() => new Date())
    .$onUpdateFn(() => new Date());
