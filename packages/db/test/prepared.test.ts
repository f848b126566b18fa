import { eq, inArray, sql } from 'drizzle-orm';
import { withReplicas } from 'drizzle-orm/mysql-core';
import { drizzle } from 'drizzle-orm/mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createDatabase, type Database, type DatabaseHandle, type Executor } from '../src/client';
import { isoTimestamp, prepared, preparedRows } from '../src/prepared';
import * as schema from '../src/schema';
import { categories } from '../src/schema';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let test: TestDatabase;
let second: DatabaseHandle;
beforeAll(async () => {
  test = await createTestDatabase();
  // A second handle on the same database stands in for a second replica.
  second = createDatabase(test.url, { poolSize: 2 });
  await test.db
    .insert(categories)
    .values(['Garden', 'Kitchen', 'Tools'].map((name) => ({ name, slug: name.toLowerCase() })));
});
afterAll(async () => {
  await second.close();
  await test.drop();
});

/** Categories by a list of `n` ids; records every handle a statement was built on. */
function categoriesById() {
  const builtOn: Database[] = [];
  const statement = prepared((db, n: number) => {
    builtOn.push(db);
    const ids = Array.from({ length: n }, (_, i) => sql.placeholder(`id${i}`));
    return db
      .select({ name: categories.name })
      .from(categories)
      .where(inArray(categories.id, ids))
      .orderBy(categories.name)
      .prepare();
  }, String);
  return { statement, builtOn };
}

const idsOf = async (names: string[]) =>
  (await test.db.select({ id: categories.id, name: categories.name }).from(categories))
    .filter((row) => names.includes(row.name))
    .map((row) => row.id);

describe('prepared', () => {
  it('builds a statement once per shape and fills in the values of each call', async () => {
    const { statement, builtOn } = categoriesById();
    const [garden, kitchen, tools] = await idsOf(['Garden', 'Kitchen', 'Tools']);

    const two = statement(test.db, 2);
    expect(await two.execute({ id0: garden, id1: tools })).toEqual([
      { name: 'Garden' },
      { name: 'Tools' },
    ]);
    expect(statement(test.db, 2)).toBe(two);
    expect(await statement(test.db, 2).execute({ id0: kitchen, id1: kitchen })).toEqual([
      { name: 'Kitchen' },
    ]);
    expect(await statement(test.db, 1).execute({ id0: tools })).toEqual([{ name: 'Tools' }]);
    expect(builtOn).toHaveLength(2); // shapes 2 and 1
  });

  it('keeps statements apart per handle', () => {
    const { statement, builtOn } = categoriesById();
    expect(statement(test.db, 1)).not.toBe(statement(second.db, 1));
    expect(builtOn).toEqual([test.db, second.db]);
  });

  it('builds on each replica of a withReplicas handle and spreads the calls over them', async () => {
    const { statement, builtOn } = categoriesById();
    const reader = withReplicas(test.db, [test.db, second.db]);
    const [garden] = await idsOf(['Garden']);
    for (let call = 0; call < 40; call++) {
      expect(await statement(reader, 1).execute({ id0: garden })).toEqual([{ name: 'Garden' }]);
    }
    // 40 random picks of two replicas: each is chosen, and built on once.
    expect(new Set(builtOn)).toEqual(new Set([test.db, second.db]));
    expect(builtOn).toHaveLength(2);
    expect(builtOn).not.toContain(reader);
  });

  it('runs a statement with a placeholder in an equality', async () => {
    const byName = prepared(
      (db) =>
        db
          .select({ slug: categories.slug })
          .from(categories)
          .where(eq(categories.name, sql.placeholder('name')))
          .prepare(),
      () => '',
    );
    expect(await byName(test.db, undefined).execute({ name: 'Kitchen' })).toEqual([
      { slug: 'kitchen' },
    ]);
    expect(await byName(test.db, undefined).execute({ name: 'Nope' })).toEqual([]);
  });

  it('runs inside the transaction it is given, and serves later transactions on the same connection', async () => {
    const single = createDatabase(test.url, { poolSize: 1 });
    try {
      const builtOn: Executor[] = [];
      const bySlug = prepared(
        (db: Executor) => {
          builtOn.push(db);
          return db
            .select({ name: categories.name })
            .from(categories)
            .where(eq(categories.slug, sql.placeholder('slug')))
            .prepare();
        },
        () => '',
      );
      const rolledBack = new Error('roll back');
      for (const name of ['Sheds', 'Ponds']) {
        const slug = name.toLowerCase();
        await expect(
          single.db.transaction(async (tx) => {
            await tx.insert(categories).values({ name, slug });
            // The row exists only inside this transaction: the statement must run in it.
            expect(await bySlug(tx, undefined).execute({ slug })).toEqual([{ name }]);
            throw rolledBack;
          }),
        ).rejects.toBe(rolledBack);
        expect(await bySlug(single.db, undefined).execute({ slug })).toEqual([]);
      }
      // Built once for the pool and once for its one connection, though two transactions ran.
      expect(builtOn).toHaveLength(2);
      expect(builtOn[1]).toBe(single.db);
    } finally {
      await single.close();
    }
  });
});

describe('preparedRows', () => {
  const byIds = () => {
    const builtOn: Database[] = [];
    const statement = preparedRows((db, n: number) => {
      builtOn.push(db);
      const ids = Array.from({ length: n }, (_, i) => sql.placeholder(`id${i}`));
      return db
        .select()
        .from(categories)
        .where(inArray(categories.id, ids))
        .orderBy(categories.name);
    }, String);
    return { statement, builtOn };
  };

  it('reads the rows as mysql2 does: DATETIME as its UTC text, BOOLEAN as 0 or 1', async () => {
    const [garden, tools] = await idsOf(['Garden', 'Tools']);
    await test.db.update(categories).set({ is_active: false }).where(eq(categories.id, tools!));
    try {
      const rows = await byIds().statement(test.db, 2).execute({ id0: tools, id1: garden });
      const mapped = await test.db
        .select()
        .from(categories)
        .where(inArray(categories.id, [garden!, tools!]))
        .orderBy(categories.name);
      expect(rows).toHaveLength(2);
      rows.forEach((row, i) => {
        const expected = mapped[i]!;
        expect(row).toEqual({
          ...expected,
          is_active: expected.is_active ? 1 : 0,
          created_at: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/),
          updated_at: expect.any(String),
        });
        // The text is the instant drizzle reads, and isoTimestamp writes it as the wire does.
        expect(isoTimestamp(row.created_at)).toBe(expected.created_at.toISOString());
        expect(isoTimestamp(row.updated_at)).toBe(expected.updated_at.toISOString());
      });
      expect(rows.map((row) => row.is_active)).toEqual([1, 0]); // Garden, Tools
    } finally {
      await test.db.update(categories).set({ is_active: true }).where(eq(categories.id, tools!));
    }
  });

  it('builds once per shape and handle, and spreads reads over the replicas', async () => {
    const { statement, builtOn } = byIds();
    const [garden, kitchen] = await idsOf(['Garden', 'Kitchen']);
    const reader = withReplicas(test.db, [test.db, second.db]);
    for (let call = 0; call < 40; call++) {
      const rows = await statement(reader, 2).execute({ id0: garden, id1: kitchen });
      expect(rows.map((row) => row.name)).toEqual(['Garden', 'Kitchen']);
    }
    expect(statement(test.db, 2)).toBe(statement(test.db, 2));
    expect(new Set(builtOn)).toEqual(new Set([test.db, second.db]));
    expect(builtOn).toHaveLength(2);
  });

  it("logs each statement, with its values, to the handle's logger as drizzle's own do", async () => {
    const logged: unknown[] = [];
    const db = drizzle(test.pool, {
      schema,
      mode: 'default',
      logger: { logQuery: (query, params) => logged.push([query, params]) },
    });
    const [garden] = await idsOf(['Garden']);
    await byIds().statement(db, 1).execute({ id0: garden });
    expect(logged).toEqual([[expect.stringMatching(/^select .* from `categories`/), [garden]]]);
  });

  it('writes milliseconds that DATETIME(3) keeps, whatever they are', () => {
    for (const iso of ['2026-11-29T18:30:00.000Z', '1999-01-02T03:04:05.125Z']) {
      const text = iso.replace('T', ' ').replace('Z', '');
      expect(isoTimestamp(text)).toBe(new Date(iso).toISOString());
    }
  });
});
