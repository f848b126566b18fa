export * from './client';
export * from './errors';
export { ensureDatabase, migrateDatabase, migrationsFolder } from './migrate';
export * from './replica-status';
export type { Rows } from './rows';
export * as schema from './schema';
export * from './schema';
