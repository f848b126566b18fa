export * from './client';
export * from './errors';
export { ensureDatabase, migrateDatabase, migrationsFolder } from './migrate';
export type { Rows } from './rows';
export * as schema from './schema';
export * from './schema';
