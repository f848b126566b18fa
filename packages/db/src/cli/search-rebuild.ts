import mysql from 'mysql2/promise';

import { openSearchEngine } from '../search-engine';
import { ensureSearchIndex, rebuildSearchIndex, SEARCH_TABLE } from '../search-index';
import { runCommand } from './run';

// Rewrites the Mroonga search index from `products` (search-index.ts): after
// a crash in the middle of a product write, or to check the index by hand.
// With SEARCH_ENGINE_URL set, the search engine's index too (search-engine.ts).
await runCommand(async ({ database }) => {
  if (database.searchEngineUrl) {
    const primary = mysql.createPool({ uri: database.url, connectionLimit: 2 });
    const engine = await openSearchEngine({ primary, url: database.searchEngineUrl, start: false });
    try {
      await engine.fill();
      console.warn(
        `The search engine's index rebuilt from products: ${await engine.count()} products.`,
      );
    } finally {
      await engine.close();
      await primary.end();
    }
  }
  const connection = await mysql.createConnection({ uri: database.url });
  try {
    if (!(await ensureSearchIndex(connection))) {
      console.warn(
        `No Mroonga on this server: searches use InnoDB FULLTEXT, no ${SEARCH_TABLE} to rebuild.`,
      );
      return;
    }
    await rebuildSearchIndex(connection);
    console.warn(`${SEARCH_TABLE} rebuilt from products.`);
  } finally {
    await connection.end();
  }
});
