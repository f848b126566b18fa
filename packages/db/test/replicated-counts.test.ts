import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createDatabase, type DatabaseHandle } from '../src/client';
import { products } from '../src/schema';
import { seedCatalog } from '../src/seed';
import { productCountDrift } from '../src/testing';
import { type ReplicatedMariaDb, startReplicatedMariaDb } from '../src/testing-replication';

/**
 * product_counts on a read replica (public totals are read there). The
 * primary's row-based binlog carries the counter rows its triggers wrote; the
 * replica applies them without firing its own copy of the triggers (MariaDB's
 * default `slave_run_triggers_for_rbr=NO`), so nothing is counted twice.
 */
let cluster: ReplicatedMariaDb | undefined;
let primary: DatabaseHandle | undefined;
let replica: DatabaseHandle | undefined;

beforeAll(async () => {
  cluster = await startReplicatedMariaDb({ timeoutMs: 120_000 });
  const name = await cluster.createDatabase();
  primary = createDatabase(cluster.primaryUrl(name), { poolSize: 2 });
  replica = createDatabase(cluster.replicaUrl(name), { poolSize: 2 });
}, 180_000);

afterAll(async () => {
  await primary?.close().catch(() => undefined);
  await replica?.close().catch(() => undefined);
  await cluster?.stop();
}, 60_000);

const countersOf = async (handle: DatabaseHandle) => {
  const [rows] = await handle.pool.query(
    'SELECT category_id, is_active, in_stock, n FROM product_counts ORDER BY category_id, is_active, in_stock',
  );
  return rows;
};

describe('product_counts on a replica', () => {
  it('matches the primary and the replica’s own products after inserts, updates and deletes', async () => {
    await seedCatalog(primary!.db, { products: 400 });
    const ids = (await primary!.db.select({ id: products.id }).from(products).limit(30)).map(
      (row) => row.id,
    );
    await primary!.db
      .update(products)
      .set({ stock_quantity: 0 })
      .where(inArray(products.id, ids.slice(0, 10)));
    await primary!.db
      .update(products)
      .set({ is_active: false })
      .where(inArray(products.id, ids.slice(10, 20)));
    await primary!.db.delete(products).where(inArray(products.id, ids.slice(20, 30)));
    await primary!.db.update(products).set({ price: '1.00' }).where(eq(products.id, ids[0]!));
    await cluster!.waitForReplica();

    expect(await productCountDrift(primary!.pool)).toEqual([]);
    expect(await productCountDrift(replica!.pool)).toEqual([]);
    const onReplica = await countersOf(replica!);
    expect(onReplica).toEqual(await countersOf(primary!));
    const total = (onReplica as Array<{ n: number }>).reduce((sum, row) => sum + row.n, 0);
    expect(total).toBe(390);
    // Seeding, four writes and the replica's catch-up (up to 30 s of its own) on a
    // machine that runs every package's tests at once: more than the default 30 s.
  }, 120_000);
});
