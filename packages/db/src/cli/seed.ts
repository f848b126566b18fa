import { parseArgs } from 'node:util';

import { createLocalImageStorage } from '@buybuy/images';

import { createDatabase } from '../client';
import { seedCatalog } from '../seed';
import { runCommand } from './run';

const { values } = parseArgs({
  options: { products: { type: 'string', default: '200' } },
});
const products = Number(values.products);
if (!Number.isInteger(products) || products < 0) {
  console.error('--products takes a whole number, for example --products 100000');
  process.exit(1);
}

await runCommand(async ({ database, uploads }) => {
  const handle = createDatabase(database.url);
  try {
    await seedCatalog(handle.db, {
      products,
      // The pictures go where uploads go, so the server serves them under the same URLs.
      images: createLocalImageStorage(uploads.dir, uploads.baseUrl),
      log: (line) => process.stderr.write(line),
    });
  } finally {
    await handle.close();
  }
});
