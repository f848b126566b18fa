import { shippingMethods } from '@buybuy/db';
import { DEMO_SHIPPING_METHODS, seedCatalog } from '@buybuy/db/seed';
import { createTestDatabase, type TestDatabase } from '@buybuy/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createShippingMethodInput,
  listShippingMethodsInput,
  updateShippingMethodInput,
} from '../src/shipping/schemas';
import {
  createShippingMethod,
  deleteShippingMethod,
  listShippingMethods,
  updateShippingMethod,
} from '../src/shipping/service';
import { appError } from './fixtures';
import { aShippingMethod } from './fixtures/selling';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test.drop());

const create = (input: Record<string, unknown>) =>
  createShippingMethod(test.db, createShippingMethodInput.parse(input));
const names = (methods: Array<{ name: string }>) => methods.map((method) => method.name);

describe('shipping methods', () => {
  it('are created with an exact price, active unless told otherwise', async () => {
    const created = await create({ name: '  Courier ', price: 7.5 });
    expect(created).toMatchObject({ name: 'Courier', price: '7.50', is_active: true });
    expect(created.created_at).toMatch(/Z$/);
    for (const price of ['-1', '1.999', 'free', '12345678901']) {
      expect(createShippingMethodInput.safeParse({ name: 'X', price }).success, price).toBe(false);
    }
    expect(createShippingMethodInput.safeParse({ name: '', price: '1' }).success).toBe(false);
  });

  it('are listed cheapest first; inactive ones only when asked', async () => {
    await test.db.delete(shippingMethods);
    await aShippingMethod(test.db, { name: 'Express', price: '14.99' });
    await aShippingMethod(test.db, { name: 'Pickup', price: '0.00' });
    await aShippingMethod(test.db, { name: 'Freight', price: '99.00', is_active: false });
    await aShippingMethod(test.db, { name: 'Standard', price: '4.99' });

    const options = (query: Record<string, unknown>) => {
      const input = listShippingMethodsInput.parse(query);
      return { includeInactive: input.include_inactive ?? false };
    };
    expect(names(await listShippingMethods(test.db, options({})))).toEqual([
      'Pickup',
      'Standard',
      'Express',
    ]);
    expect(
      names(await listShippingMethods(test.db, options({ include_inactive: 'true' }))),
    ).toEqual(['Pickup', 'Standard', 'Express', 'Freight']);
    expect(
      names(await listShippingMethods(test.db, options({ include_inactive: 'false' }))),
    ).toHaveLength(3);
  });

  it('are updated in part, and retired by deactivating', async () => {
    const id = await aShippingMethod(test.db, { name: 'Economy', price: '4.99' });
    const update = (input: Record<string, unknown>) => {
      const { id: _, ...changes } = updateShippingMethodInput.parse({ id, ...input });
      return updateShippingMethod(test.db, id, changes);
    };
    expect(await update({ price: '5.49' })).toMatchObject({
      name: 'Economy',
      price: '5.49',
      is_active: true,
    });
    expect(await update({ is_active: false })).toMatchObject({ price: '5.49', is_active: false });
    expect(names(await listShippingMethods(test.db, { includeInactive: false }))).not.toContain(
      'Economy',
    );
    expect(updateShippingMethodInput.safeParse({ id, is_active: 'no' }).success).toBe(false);
    expect(
      await appError(updateShippingMethod(test.db, 999_999, { name: 'Nowhere' })),
    ).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('are deleted once; a second delete is a 404', async () => {
    const id = await aShippingMethod(test.db, { name: 'Temporary' });
    expect(await deleteShippingMethod(test.db, id)).toBeNull();
    expect(await appError(deleteShippingMethod(test.db, id))).toMatchObject({
      status: 'NOT_FOUND',
      code: 'NOT_FOUND',
    });
  });
});

describe('the seed', () => {
  it('adds Standard, Express and Pickup once, and keeps what an admin changed', async () => {
    await test.db.delete(shippingMethods);
    await seedCatalog(test.db, { products: 0 });
    const seeded = await listShippingMethods(test.db, { includeInactive: true });
    expect(seeded.map((m) => [m.name, m.price])).toEqual([
      ['Pickup', '0.00'],
      ['Standard', '4.99'],
      ['Express', '14.99'],
    ]);
    expect(seeded).toHaveLength(DEMO_SHIPPING_METHODS.length);

    const express = seeded.find((m) => m.name === 'Express')!;
    await updateShippingMethod(test.db, express.id, { price: '19.99' });
    await seedCatalog(test.db, { products: 0 });
    const again = await listShippingMethods(test.db, { includeInactive: true });
    expect(again.map((m) => [m.name, m.price])).toEqual([
      ['Pickup', '0.00'],
      ['Standard', '4.99'],
      ['Express', '19.99'],
    ]);
  });
});
