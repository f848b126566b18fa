import { parseArgs } from 'node:util';

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

await runCommand(async (url) => {
  const handle = createDatabase(url);
  try {
    await seedCatalog(handle.db, { products, log: (line) => process.stderr.write(line) });
  } finally {
    await handle.close();
  }
});
