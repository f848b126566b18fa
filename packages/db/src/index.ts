export * from './client';
export * from './errors';
export { ensureDatabase, migrateDatabase, migrationsFolder } from './migrate';
export * as schema from './schema';
export * from './schema';
