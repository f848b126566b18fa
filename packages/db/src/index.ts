export * from './client';
export * from './errors';
export { ensureDatabase, migrateDatabase, type MigrateOptions, migrationsFolder } from './migrate';
export * from './replica-status';
export type { Rows } from './rows';
export * as schema from './schema';
export * from './schema';
export {
  engineReadsWord,
  ensureSearchQueue,
  feedSearchEngine,
  openSearchEngine,
  type OpenSearchEngineOptions,
  parseSearchEngineUrl,
  SEARCH_QUEUE_TABLE,
  searchdConfig,
  type SearchEngine,
  searchEngineOf,
  shardIndexes,
  useSearchEngine,
} from './search-engine';
export { hasSearchIndex, rebuildSearchIndex, SEARCH_TABLE, syncSearchRows } from './search-index';
