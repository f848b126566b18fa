import { createImageStorage } from '@buybuy/images';
import { count } from 'drizzle-orm';

import { createDatabase } from '../client';
import { migrateDatabase } from '../migrate';
import { products } from '../schema';
import { seedCatalog } from '../seed';
import { runCommand } from './run';

// `pnpm dev` runs this first: migrate, and seed a demo catalog into an empty database.
await runCommand(async ({ database, uploads, storage }) => {
  await migrateDatabase(database.url);
  const handle = createDatabase(database.url);
  try {
    const [row] = await handle.db.select({ n: count() }).from(products);
    if ((row?.n ?? 0) === 0) {
      await seedCatalog(handle.db, {
        products: 200,
        images: createImageStorage(storage, uploads),
        log: (line) => process.stderr.write(line),
      });
    }
  } finally {
    await handle.close();
  }
});
