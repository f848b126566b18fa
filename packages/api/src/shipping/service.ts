/**
 * Flat-rate shipping methods. The public sees the active ones, cheapest first;
 * admins see all and edit them. An order copies the method's name and price
 * when it is placed, so editing or deleting a method never changes an order
 * (orders.shipping_method_id becomes NULL on delete; the copy stays).
 */
import { type Database, type ShippingMethod, shippingMethods } from '@buybuy/db';
import { asc, eq } from 'drizzle-orm';

import { notFound } from '../errors';
import { givenFields } from '../shared/objects';
import { toTimestamp } from '../shared/schemas';
import type { CreateShippingMethod, ShippingMethodOutput, UpdateShippingMethod } from './schemas';

export const toShippingMethodOutput = (row: ShippingMethod): ShippingMethodOutput => ({
  id: row.id,
  name: row.name,
  price: row.price,
  is_active: row.is_active,
  created_at: toTimestamp(row.created_at),
  updated_at: toTimestamp(row.updated_at),
});

export async function listShippingMethods(
  db: Database,
  options: { includeInactive: boolean },
): Promise<ShippingMethodOutput[]> {
  const rows = await db
    .select()
    .from(shippingMethods)
    .where(options.includeInactive ? undefined : eq(shippingMethods.is_active, true))
    .orderBy(asc(shippingMethods.price), asc(shippingMethods.id));
  return rows.map(toShippingMethodOutput);
}

export async function getShippingMethod(db: Database, id: number): Promise<ShippingMethodOutput> {
  const [row] = await db.select().from(shippingMethods).where(eq(shippingMethods.id, id));
  if (!row) throw notFound('Shipping method');
  return toShippingMethodOutput(row);
}

export async function createShippingMethod(
  db: Database,
  input: CreateShippingMethod,
): Promise<ShippingMethodOutput> {
  const [created] = await db.insert(shippingMethods).values(input).$returningId();
  return getShippingMethod(db, created!.id);
}

/** Partial update; orders placed before keep the name and price they were placed with. */
export async function updateShippingMethod(
  db: Database,
  id: number,
  input: UpdateShippingMethod,
): Promise<ShippingMethodOutput> {
  const changes = givenFields(input);
  const [result] = await db
    .update(shippingMethods)
    .set({ ...changes, updated_at: new Date() })
    .where(eq(shippingMethods.id, id));
  if (result.affectedRows === 0) throw notFound('Shipping method');
  return getShippingMethod(db, id);
}

export async function deleteShippingMethod(db: Database, id: number): Promise<null> {
  const [result] = await db.delete(shippingMethods).where(eq(shippingMethods.id, id));
  if (result.affectedRows === 0) throw notFound('Shipping method');
  return null;
}
