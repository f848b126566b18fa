import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createLocalImageStorage } from '@buybuy/images';
import { asc, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { categories, productImages, products } from '../src/schema';
import { seedCatalog } from '../src/seed';
import { LEAVES, slugsOf } from '../src/seed/catalog';
import { pictureStyle } from '../src/seed/pictures';
import { createTestDatabase, type TestDatabase } from '../src/testing';

/**
 * The demo catalog a newcomer sees first: names that fit their category,
 * pictures drawn by the seed and stored like uploads (no outside photo site),
 * and the same catalog for the same size.
 */
const SIZE = 80;
const BASE_URL = 'http://shop.test/uploads';

let drawn: TestDatabase;
let plain: TestDatabase;
let uploads: string;

beforeAll(async () => {
  uploads = await mkdtemp(join(tmpdir(), 'buybuy-seed-'));
  [drawn, plain] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  await seedCatalog(drawn.db, {
    products: SIZE,
    images: createLocalImageStorage(uploads, BASE_URL),
  });
  await seedCatalog(plain.db, { products: SIZE });
}, 120_000);
afterAll(async () => {
  await Promise.all([drawn?.drop(), plain?.drop()]);
  await rm(uploads, { recursive: true, force: true });
});

const catalogOf = (test: TestDatabase) =>
  test.db
    .select({
      id: products.id,
      name: products.name,
      description: products.description,
      price: products.price,
      category: categories.name,
      categorySlug: categories.slug,
    })
    .from(products)
    .innerJoin(categories, eq(categories.id, products.category_id))
    .orderBy(asc(products.id));

/** The leaf a seeded category is, by its slug (two leaves are called Shoes). */
const leafOf = (slug: string) => LEAVES.find((place) => slugsOf(place).leaf === slug)!;

const filePath = (url: string) => join(uploads, url.slice(BASE_URL.length + 1));

describe('the demo catalog', () => {
  it('names, describes and prices every product after its category', async () => {
    const rows = await catalogOf(drawn);
    expect(rows).toHaveLength(SIZE);
    for (const row of rows) {
      const { department, leaf } = leafOf(row.categorySlug);
      expect(leaf.name, row.categorySlug).toBe(row.category);
      const [min, max] = leaf.price;
      const fits =
        department.brands.some((brand) => row.name.startsWith(`${brand} `)) &&
        leaf.nouns.some((noun) => row.name.endsWith(` ${noun}`));
      expect(fits, `${row.name} under ${row.category}`).toBe(true);
      expect(Number(row.price), `${row.name} at ${row.price}`).toBeGreaterThanOrEqual(min);
      expect(Number(row.price), `${row.name} at ${row.price}`).toBeLessThanOrEqual(max);
      expect(row.description).toContain(row.name);
      expect(row.description).toContain(leaf.name.toLowerCase());
    }
    // A demo with variety: several categories, and no "Item 125" numbering.
    expect(new Set(rows.map((row) => row.category)).size).toBeGreaterThan(15);
    expect(rows.some((row) => /\bItem\b|\d+$/.test(row.name))).toBe(false);
  });

  it('is the same catalog for the same size, pictures or not', async () => {
    const strip = (rows: Awaited<ReturnType<typeof catalogOf>>) =>
      rows.map(({ id: _id, ...fields }) => fields);
    expect(strip(await catalogOf(plain))).toEqual(strip(await catalogOf(drawn)));
    expect(await plain.db.select().from(productImages)).toEqual([]);
  });

  it('draws every product a picture, some a second, stored like uploads with thumbnails', async () => {
    const images = await drawn.db
      .select()
      .from(productImages)
      .orderBy(asc(productImages.product_id), asc(productImages.position));
    const byProduct = new Map<number, typeof images>();
    for (const image of images)
      byProduct.set(image.product_id, [...(byProduct.get(image.product_id) ?? []), image]);
    expect(byProduct.size).toBe(SIZE);
    const seconds = [...byProduct.values()].filter((list) => list.length === 2).length;
    expect(seconds).toBeGreaterThan(SIZE * 0.15);
    expect(seconds).toBeLessThan(SIZE * 0.6);

    for (const [, list] of byProduct) {
      expect(list.map((image) => [image.position, image.is_primary])).toEqual(
        list.length === 2
          ? [
              [0, true],
              [1, false],
            ]
          : [[0, true]],
      );
    }
    for (const image of images) {
      // The upload store's names: <hash>-1600.webp and <hash>-320.webp under UPLOADS_BASE_URL.
      expect(image.image_url).toMatch(new RegExp(`^${BASE_URL}/[0-9a-f]{32}-1600\\.webp$`));
      expect(image.thumbnail_url).toBe(image.image_url.replace('-1600.webp', '-320.webp'));
    }
    const files = [...new Set(images.flatMap((image) => [image.image_url, image.thumbnail_url!]))];
    for (const url of files) {
      const { format, width, height } = await sharp(filePath(url)).metadata();
      const side = url.endsWith('-320.webp') ? 320 : 800;
      expect({ format, width, height }, url).toEqual({ format: 'webp', width: side, height: side });
    }
  });

  it('gives each category its own look, and each product of a category its own picture', async () => {
    // Style: no two leaves share their colour and shape.
    const styles = LEAVES.map((place) => JSON.stringify(pictureStyle(place)));
    expect(new Set(styles).size).toBe(LEAVES.length);
    const hues = new Set(LEAVES.map((place) => pictureStyle(place).hue));
    expect(hues.size).toBe(LEAVES.length);

    // Pixels: the label band (the category's colour) differs between every two seeded categories.
    const rows = await catalogOf(drawn);
    const primaries = await drawn.db
      .select({ product_id: productImages.product_id, url: productImages.thumbnail_url })
      .from(productImages)
      .where(eq(productImages.is_primary, true));
    const thumbnail = new Map(primaries.map((image) => [image.product_id, image.url!]));
    const bandByCategory = new Map<string, string>();
    for (const row of rows) {
      if (bandByCategory.has(row.categorySlug)) continue;
      const { data } = await sharp(filePath(thumbnail.get(row.id)!))
        .extract({ left: 4, top: 300, width: 1, height: 1 })
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      bandByCategory.set(row.categorySlug, [...data].join(','));
    }
    expect(bandByCategory.size).toBeGreaterThan(15);
    expect(new Set(bandByCategory.values()).size).toBe(bandByCategory.size);

    // Each name its own picture (its initials and name are drawn on it); one name, one file.
    const pictureOfName = new Map<string, string>();
    for (const row of rows) {
      const url = thumbnail.get(row.id)!;
      expect(pictureOfName.get(row.name) ?? url, row.name).toBe(url);
      pictureOfName.set(row.name, url);
    }
    expect(new Set(pictureOfName.values()).size).toBe(pictureOfName.size);
  });
});
