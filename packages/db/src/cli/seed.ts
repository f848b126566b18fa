import { parseArgs } from 'node:util';

import { createImageStorage } from '@buybuy/images';

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

await runCommand(async ({ database, uploads, storage }) => {
  const handle = createDatabase(database.url);
  try {
    await seedCatalog(handle.db, {
      products,
      // The pictures go where uploads go (disk or bucket), under the same URLs.
      images: createImageStorage(storage, uploads),
      log: (line) => process.stderr.write(line),
    });
  } finally {
    await handle.close();
  }
});
