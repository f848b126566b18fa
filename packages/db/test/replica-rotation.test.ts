import { eq, sql } from 'drizzle-orm';
import type { Pool } from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import {
  createDatabase,
  type DatabaseHandle,
  onQuery,
  poolStats,
  prepared,
  type ReplicaChange,
  replicaReader,
  replicaRotation,
} from '../src/client';
import { isDatabaseUnreachable } from '../src/errors';
import { categories } from '../src/schema';
import {
  createTestDatabase,
  startTcpProxy,
  type TcpProxy,
  type TestDatabase,
} from '../src/testing';

/**
 * The rotation on the shared MariaDB: two "replicas" are TCP proxies to the
 * test's own database, which a test cuts (refused, connections dropped) or
 * black-holes (no answer) and restores. Where each statement ran is read
 * from the pools' statement listeners.
 */
let test: TestDatabase;
let proxies: TcpProxy[];
let handle: DatabaseHandle;
const changes: ReplicaChange[] = [];
const ran = { primary: 0, replica0: 0, replica1: 0 };

/**
 * Long enough that no read on a crowded CI machine (40 at once on a pool of
 * 3, beside other test files) is taken for a replica that stopped answering;
 * only the black-holed one waits this long.
 */
const READ_TIMEOUT_MS = 5_000;

beforeAll(async () => {
  test = await createTestDatabase();
  await test.db.insert(categories).values({ name: 'Garden', slug: 'garden' });
  const target = new URL(test.url);
  proxies = await Promise.all(
    [0, 1].map(() => startTcpProxy({ host: target.hostname, port: Number(target.port) })),
  );
  handle = createDatabase(test.url, {
    poolSize: 3,
    replicaUrls: proxies.map((proxy) => proxy.urlFor(test.url)),
    replicaTimeoutMs: READ_TIMEOUT_MS,
    replicaProbeMs: 50,
    // Longer than the read timeout: a black-holed replica is given up on by the rotation first.
    connectTimeoutMs: 15_000,
  });
  replicaRotation(handle.db)!.watch((change) => changes.push(change));
  // The reads under test, not the probes' questions (the primary's GTID position, SELECT 1).
  const isRead = (text: string) => text.includes('`categories`');
  onQuery(handle.pool, ({ sql: text }) => {
    if (isRead(text)) ran.primary++;
  });
  handle.replicaPools.forEach((pool, i) =>
    onQuery(pool, ({ sql: text, failed }) => {
      if (isRead(text) && !failed) ran[`replica${i}` as 'replica0']++;
    }),
  );
});

afterEach(async () => {
  await Promise.all(proxies.map((proxy) => proxy.restore()));
  await vi.waitFor(() => expect(upNow()).toEqual([true, true]), { timeout: 10_000 });
  // A read the rotation gave up on still waits in its pool and runs once the
  // replica answers again; its count must not land in the next test's.
  await vi.waitFor(() => expect(handle.replicaPools.map(idle)).toEqual([true, true]), {
    timeout: 10_000,
  });
  changes.length = 0;
});

afterAll(async () => {
  await handle.close();
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await test.drop();
});

/** No statement running or waiting on `pool`. */
const idle = (pool: Pool) => {
  const { total, free, queued } = poolStats(pool);
  return free === total && queued === 0;
};

const upNow = () =>
  replicaRotation(handle.db)!
    .states()
    .map((state) => state.up);

const read = () =>
  replicaReader(handle.db)
    .select({ name: categories.name })
    .from(categories)
    .where(eq(categories.slug, 'garden'));

/** `n` reads at once; every one must return the row. */
async function reads(n: number) {
  const results = await Promise.all(Array.from({ length: n }, read));
  for (const rows of results) expect(rows).toEqual([{ name: 'Garden' }]);
}

/** Statement counts by pool during `run`. */
async function counting(run: () => Promise<unknown>) {
  const before = { ...ran };
  await run();
  return {
    primary: ran.primary - before.primary,
    replica0: ran.replica0 - before.replica0,
    replica1: ran.replica1 - before.replica1,
  };
}

describe('replica rotation', () => {
  it('spreads reads over the replicas while they answer, the primary untouched', async () => {
    const counts = await counting(() => reads(40));
    expect(counts.primary).toBe(0);
    expect(counts.replica0).toBeGreaterThan(0);
    expect(counts.replica1).toBeGreaterThan(0);
    expect(counts.replica0 + counts.replica1).toBe(40);
  });

  it('a replica that refuses leaves the rotation: reads go to the other one, none fails', async () => {
    await proxies[0]!.cut();
    const counts = await counting(() => reads(40));
    expect(upNow()).toEqual([false, true]);
    expect(counts).toEqual({ primary: 0, replica0: 0, replica1: 40 });
    expect(changes.map(({ name, up }) => ({ name, up }))).toEqual([
      { name: 'replica0', up: false },
    ]);
    // Refused, or reset for a connection the pool held when the cut came.
    expect(isDatabaseUnreachable(changes[0]!.error)).toBe(true);
  });

  it('with every replica away, reads go to the primary', async () => {
    await Promise.all(proxies.map((proxy) => proxy.cut()));
    const counts = await counting(() => reads(20));
    expect(upNow()).toEqual([false, false]);
    expect(counts).toEqual({ primary: 20, replica0: 0, replica1: 0 });
  });

  it('a replica whose connections drop mid-use leaves too, and comes back once it answers', async () => {
    await reads(10); // both pools hold open connections now
    await proxies[1]!.cut();
    await reads(20);
    expect(upNow()).toEqual([true, false]);
    await proxies[1]!.restore();
    await vi.waitFor(() => expect(upNow()).toEqual([true, true]), { timeout: 10_000 });
    expect(changes.map(({ name, up }) => `${name} ${up ? 'up' : 'down'}`)).toEqual([
      'replica1 down',
      'replica1 up',
    ]);
    const counts = await counting(() => reads(40));
    expect(counts.replica1).toBeGreaterThan(0);
    expect(counts.primary).toBe(0);
  });

  it('a replica that stops answering is given up on after the read timeout', async () => {
    await proxies[0]!.blackhole();
    // The connections it held were reset; once the pool has let them go, only new ones hang.
    await vi.waitFor(() => expect(poolStats(handle.replicaPools[0]!).total).toBe(0));
    await reads(10);
    expect(upNow()).toEqual([false, true]);
    expect((changes[0]!.error as { code?: string }).code).toBe('REPLICA_TIMEOUT');
  });

  it('prepared statements fail over too', async () => {
    const bySlug = prepared(
      (db, _shape: 'one') =>
        db
          .select({ name: categories.name })
          .from(categories)
          .where(eq(categories.slug, sql.placeholder('slug')))
          .prepare(),
      String,
    );
    await proxies[0]!.cut();
    const counts = await counting(async () => {
      for (let i = 0; i < 20; i++) {
        expect(await bySlug(replicaReader(handle.db), 'one').execute({ slug: 'garden' })).toEqual([
          { name: 'Garden' },
        ]);
      }
    });
    expect(counts).toEqual({ primary: 0, replica0: 0, replica1: 20 });
  });

  it('an SQL error is the read’s own: it fails, nothing leaves the rotation', async () => {
    const counts = await counting(async () => {
      await expect(
        replicaReader(handle.db)
          .select({ missing: sql`no_such_column` })
          .from(categories),
      ).rejects.toMatchObject({ cause: { code: 'ER_BAD_FIELD_ERROR' } });
    });
    expect(upNow()).toEqual([true, true]);
    expect(counts.primary).toBe(0);
    expect(changes).toEqual([]);
  });
});
