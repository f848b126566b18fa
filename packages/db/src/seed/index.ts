import { hash } from '@node-rs/bcrypt';
import { count, eq, inArray } from 'drizzle-orm';

import type { Database } from './client';
import {
  categories,
  productImages,
  products,
  shippingMethods,
  userProfiles,
  users,
} from './schema';

/** The demo accounts `pnpm db:seed` creates. Development data only. */
export const DEMO_ACCOUNTS = {
  admin: { email: 'admin@buybuy.dev', username: 'admin', password: 'admin-password' },
  customer: { email: 'customer@buybuy.dev', username: 'customer', password: 'customer-password' },
} as const;

/** A three-level demo tree: department → category → sub-category. */
const TREE: Record<string, Record<string, string[]>> = {
  Electronics: {
    Computers: ['Laptops', 'Desktops', 'Monitors'],
    Phones: ['Smartphones', 'Cases', 'Chargers'],
    Audio: ['Headphones', 'Speakers'],
  },
  Home: {
    Kitchen: ['Cookware', 'Knives', 'Small Appliances'],
    Furniture: ['Chairs', 'Tables', 'Shelving'],
  },
  Fashion: {
    Men: ['Shirts', 'Trousers', 'Shoes'],
    Women: ['Dresses', 'Tops', 'Shoes'],
  },
  Outdoors: {
    Camping: ['Tents', 'Sleeping Bags'],
    Cycling: ['Bikes', 'Helmets', 'Lights'],
  },
};

const ADJECTIVES = [
  'Classic',
  'Compact',
  'Deluxe',
  'Eco',
  'Ultra',
  'Pro',
  'Smart',
  'Vintage',
  'Rugged',
  'Light',
];
const MATERIALS = [
  'Oak',
  'Steel',
  'Cotton',
  'Carbon',
  'Bamboo',
  'Wool',
  'Aluminium',
  'Leather',
  'Glass',
  'Linen',
];

const slugify = (value: string) =>
  value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

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
  log?: (line: string) => void;
}

/**
 * Makes a realistic demo catalog: the category tree, the demo admin and
 * customer, the flat-rate shipping methods, and products (with images) up
 * to `options.products`. Running it again adds only what is missing.
 */
export async function seedCatalog(db: Database, options: SeedOptions): Promise<void> {
  const log = options.log ?? (() => {});
  await seedUsers(db);
  await seedShippingMethods(db);
  const leafIds = await seedCategories(db);

  const [row] = await db.select({ n: count() }).from(products);
  const existing = row?.n ?? 0;
  const missing = Math.max(0, options.products - existing);
  log(`Catalog: ${existing} products, adding ${missing}.\n`);

  const batchSize = 1000;
  const next = random(existing + 1);
  const started = Date.now();
  for (let done = 0; done < missing; done += batchSize) {
    const size = Math.min(batchSize, missing - done);
    const createdBase = Date.now() - 365 * 24 * 3600 * 1000;
    const rows = Array.from({ length: size }, (_, i) => {
      const n = existing + done + i + 1;
      const name = `${ADJECTIVES[Math.floor(next() * ADJECTIVES.length)]} ${MATERIALS[Math.floor(next() * MATERIALS.length)]} Item ${n}`;
      return {
        name,
        description: `${name}: a demo product, well made and fairly priced.`,
        price: (1 + Math.floor(next() * 99_900) / 100).toFixed(2),
        category_id: leafIds[Math.floor(next() * leafIds.length)]!,
        stock_quantity: next() < 0.15 ? 0 : Math.floor(next() * 500),
        is_active: next() > 0.05,
        created_at: new Date(createdBase + Math.floor(next() * 365 * 24 * 3600 * 1000)),
      };
    });
    await db.transaction(async (tx) => {
      const inserted = await tx.insert(products).values(rows).$returningId();
      const images = inserted.flatMap(({ id }, i) => [
        {
          product_id: id,
          image_url: `https://picsum.photos/seed/buybuy-${id}/800/800`,
          thumbnail_url: `https://picsum.photos/seed/buybuy-${id}/320/320`,
          alt_text: rows[i]!.name,
          is_primary: true,
          position: 0,
        },
        {
          product_id: id,
          image_url: `https://picsum.photos/seed/buybuy-${id}-2/800/800`,
          thumbnail_url: `https://picsum.photos/seed/buybuy-${id}-2/320/320`,
          alt_text: `${rows[i]!.name}, detail`,
          is_primary: false,
          position: 1,
        },
      ]);
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

/** Creates the tree (by slug, so it is idempotent) and returns the leaf category ids. */
async function seedCategories(db: Database): Promise<number[]> {
  const leafIds: number[] = [];
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
  for (const [department, children] of Object.entries(TREE)) {
    const departmentId = await upsert(department, slugify(department), null);
    for (const [child, grandchildren] of Object.entries(children)) {
      const childSlug = slugify(`${department} ${child}`);
      const childId = await upsert(child, childSlug, departmentId);
      for (const leaf of grandchildren) {
        leafIds.push(await upsert(leaf, slugify(`${childSlug} ${leaf}`), childId));
      }
    }
  }
  // Sanity: every leaf really exists (guards against a partially applied earlier run).
  const rows = await db
    .select({ id: categories.id })
    .from(categories)
    .where(inArray(categories.id, leafIds));
  if (rows.length !== leafIds.length) throw new Error('Seeded category tree is incomplete');
  return leafIds;
}
