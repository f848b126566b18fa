import mysql from 'mysql2/promise';

import { ensureSearchIndex, rebuildSearchIndex, SEARCH_TABLE } from '../search-index';
import { runCommand } from './run';

// Rewrites the Mroonga search index from `products` (search-index.ts): after
// a crash in the middle of a product write, or to check the index by hand.
await runCommand(async ({ database }) => {
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
