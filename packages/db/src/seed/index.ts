import type { ImageStorage } from '@buybuy/images';
import { hash } from '@node-rs/bcrypt';
import { count, eq, inArray } from 'drizzle-orm';

import type { Database } from '../client';
import {
  categories,
  productImages,
  products,
  shippingMethods,
  userProfiles,
  users,
} from '../schema';
import { demoProduct, type LeafPlace, LEAVES, slugsOf } from './catalog';
import { pictureStore } from './pictures';

/** The demo accounts `pnpm db:seed` creates. Development data only. */
export const DEMO_ACCOUNTS = {
  admin: { email: 'admin@buybuy.dev', username: 'admin', password: 'admin-password' },
  customer: { email: 'customer@buybuy.dev', username: 'customer', password: 'customer-password' },
} as const;

/** Deterministic pseudo-random numbers, so two seeds of the same size make the same catalog. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeedOptions {
  /** How many products the catalog should hold; existing products count toward it. */
  products: number;
  /**
   * Where the products' pictures are stored (the uploads' store): each gets
   * one, some a second view, with thumbnails. Without it products get no
   * images: tests that only count rows or read query plans skip the drawing.
   */
  images?: ImageStorage;
  log?: (line: string) => void;
}

/** How many products get a second picture (a "detail" view). */
const SECOND_PICTURE_SHARE = 0.35;

/**
 * Makes a realistic demo catalog: the category tree, the demo admin and
 * customer, the flat-rate shipping methods, and products up to
 * `options.products`, named, described and priced after their category
 * (`catalog.ts`), with pictures drawn for them (`pictures.ts`) when
 * `options.images` is given. The same size gives the same products: every
 * draw comes from a generator seeded with the number of products already
 * there. Running it again adds only what is missing.
 */
export async function seedCatalog(db: Database, options: SeedOptions): Promise<void> {
  const log = options.log ?? (() => {});
  await seedUsers(db);
  await seedShippingMethods(db);
  const leaves = await seedCategories(db);
  const picture = options.images ? pictureStore(options.images) : undefined;

  const [row] = await db.select({ n: count() }).from(products);
  const existing = row?.n ?? 0;
  const missing = Math.max(0, options.products - existing);
  log(`Catalog: ${existing} products, adding ${missing}${picture ? ', with pictures' : ''}.\n`);

  const batchSize = 1000;
  const next = random(existing + 1);
  const started = Date.now();
  for (let done = 0; done < missing; done += batchSize) {
    const size = Math.min(batchSize, missing - done);
    const createdBase = Date.now() - 365 * 24 * 3600 * 1000;
    const drawn = Array.from({ length: size }, () => {
      const leaf = leaves[Math.floor(next() * leaves.length)]!;
      const product = demoProduct(leaf.place, next);
      return {
        place: leaf.place,
        secondPicture: next() < SECOND_PICTURE_SHARE,
        row: {
          name: product.name,
          description: product.description,
          price: product.price,
          category_id: leaf.id,
          stock_quantity: next() < 0.15 ? 0 : Math.floor(next() * 500),
          is_active: next() > 0.05,
          created_at: new Date(createdBase + Math.floor(next() * 365 * 24 * 3600 * 1000)),
        },
      };
    });
    // Drawn before the transaction, which then only inserts.
    const pictures = picture
      ? await Promise.all(
          drawn.map(({ place, row, secondPicture }) =>
            Promise.all([
              picture({ place, productName: row.name, view: 'front' }),
              secondPicture ? picture({ place, productName: row.name, view: 'detail' }) : null,
            ]),
          ),
        )
      : undefined;
    await db.transaction(async (tx) => {
      const inserted = await tx
        .insert(products)
        .values(drawn.map((product) => product.row))
        .$returningId();
      if (!pictures) return;
      const images = inserted.flatMap(({ id }, i) => {
        const name = drawn[i]!.row.name;
        const [front, detail] = pictures[i]!;
        return [
          { product_id: id, ...front, alt_text: name, is_primary: true, position: 0 },
          ...(detail
            ? [
                {
                  product_id: id,
                  ...detail,
                  alt_text: `${name}, detail`,
                  is_primary: false,
                  position: 1,
                },
              ]
            : []),
        ];
      });
      await tx.insert(productImages).values(images);
    });
    const total = done + size;
    const rate = Math.round((total / Math.max(1, Date.now() - started)) * 1000);
    log(`\r  ${total}/${missing} products (${Math.round((total / missing) * 100)}%, ${rate}/s)`);
  }
  if (missing > 0) log('\n');
  log('Seed complete.\n');
}

async function seedUsers(db: Database): Promise<void> {
  for (const [role, account] of Object.entries(DEMO_ACCOUNTS)) {
    const found = await db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, account.email));
    if (found.length > 0) continue;
    const [created] = await db
      .insert(users)
      .values({
        email: account.email,
        username: account.username,
        password_hash: await hash(account.password, { cost: 10 }),
        first_name: role === 'admin' ? 'Ada' : 'Casey',
        last_name: role === 'admin' ? 'Admin' : 'Customer',
        is_staff: role === 'admin',
      })
      .$returningId();
    await db.insert(userProfiles).values({
      user_id: created!.id,
      city: 'Lisbon',
      country: 'Portugal',
    });
  }
}

/** The flat-rate methods a new shop starts with; admins edit them afterwards. */
export const DEMO_SHIPPING_METHODS = [
  { name: 'Standard', price: '4.99' },
  { name: 'Express', price: '14.99' },
  { name: 'Pickup', price: '0.00' },
] as const;

/** Adds each demo method that no method of that name exists for (an admin's edits stay). */
async function seedShippingMethods(db: Database): Promise<void> {
  const existing = await db
    .select({ name: shippingMethods.name })
    .from(shippingMethods)
    .where(
      inArray(
        shippingMethods.name,
        DEMO_SHIPPING_METHODS.map((method) => method.name),
      ),
    );
  const names = new Set(existing.map((row) => row.name));
  const missing = DEMO_SHIPPING_METHODS.filter((method) => !names.has(method.name));
  if (missing.length > 0) await db.insert(shippingMethods).values([...missing]);
}

/** Creates the tree (by slug, so it is idempotent) and returns the leaves with their ids. */
async function seedCategories(db: Database): Promise<Array<{ id: number; place: LeafPlace }>> {
  const leaves: Array<{ id: number; place: LeafPlace }> = [];
  const upsert = async (name: string, slug: string, parentId: number | null) => {
    const [found] = await db
      .select({ id: categories.id })
      .from(categories)
      .where(eq(categories.slug, slug));
    if (found) return found.id;
    const [created] = await db
      .insert(categories)
      .values({ name, slug, parent_id: parentId, description: `${name} in the BuyBuy demo store.` })
      .$returningId();
    return created!.id;
  };
  const ids = new Map<string, number>();
  for (const place of LEAVES) {
    const slugs = slugsOf(place);
    if (!ids.has(slugs.department))
      ids.set(slugs.department, await upsert(place.department.name, slugs.department, null));
    if (!ids.has(slugs.group))
      ids.set(slugs.group, await upsert(place.group, slugs.group, ids.get(slugs.department)!));
    const id = await upsert(place.leaf.name, slugs.leaf, ids.get(slugs.group)!);
    leaves.push({ id, place });
  }
  // Sanity: every leaf really exists (guards against a partially applied earlier run).
  const rows = await db
    .select({ id: categories.id })
    .from(categories)
    .where(
      inArray(
        categories.id,
        leaves.map((leaf) => leaf.id),
      ),
    );
  if (rows.length !== leaves.length) throw new Error('Seeded category tree is incomplete');
  return leaves;
}
