import {
  categories,
  type Database,
  engineReadsWord,
  feedSearchEngine,
  hasSearchIndex,
  isDatabaseUnreachable,
  isMissingReference,
  isoTimestamp,
  isStillReferenced,
  placeholders,
  placeholderValues,
  prepared,
  preparedRows,
  type Product,
  productCounts,
  type ProductImage,
  productImages,
  products,
  type Raw,
  type SearchEngine,
  searchEngineOf,
  syncSearchRows,
  type Transaction,
  waitForReplicas,
} from '@buybuy/db';
import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  gt,
  gte,
  inArray,
  lte,
  type Placeholder,
  type SQL,
  sql,
} from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/mysql-core';

import { readerFor, type Visibility } from '../catalog/visibility';
import { type CategoryRef, loadCategoryTree } from '../categories/service';
import { conflict, invalidField, notFound } from '../errors';
import { toCents } from '../shared/money';
import { givenFields } from '../shared/objects';
import { toPagination } from '../shared/schemas';
import { engineSearchPage } from './engine-search';
import type { ProductImageFiles } from './image-files';
import { type IndexedSearch, indexedSearchPage } from './indexed-search';
import type {
  CreateProduct,
  ImageInput,
  ListProducts,
  ProductListItem,
  ProductOutput,
  ProductSort,
  UpdateProduct,
} from './schemas';
import {
  categoriesNamed,
  isSplit,
  planSearch,
  relevance,
  searchCondition,
  searchKey,
  type SearchPart,
  type SearchPlan,
  type SearchShape,
  searchShape,
  searchValues,
} from './search';

/** A product image as the wire shows it (the product page, list cards, cart lines), from drizzle's row or a raw one. */
export const toImageOutput = (image: ProductImage | Raw<ProductImage>) => ({
  id: image.id,
  image_url: image.image_url,
  thumbnail_url: image.thumbnail_url,
  alt_text: image.alt_text,
  is_primary: Boolean(image.is_primary),
  position: image.position,
  variants: image.variants,
});

/**
 * The product reads here (pages, the product page) are `preparedRows`: rows
 * as mysql2 reads them, mapped once, straight to the wire's shape, with what
 * the read adds (its category, its images) after the product's own fields.
 * One literal, the additions spread at its end: spreading a product's fields
 * into a new object instead cost about 25 µs of CPU per page of 20
 * (architecture.md, "Hot reads").
 */
const toProductOutput = <Added extends object>(product: Raw<Product>, added: Added) => ({
  id: product.id,
  name: product.name,
  description: product.description,
  price: product.price,
  category_id: product.category_id,
  stock_quantity: product.stock_quantity,
  is_active: product.is_active === 1,
  created_at: isoTimestamp(product.created_at),
  updated_at: isoTimestamp(product.updated_at),
  ...added,
});

const toCategoryRef = (category: Pick<CategoryRef, 'id' | 'name' | 'slug'>) => ({
  id: category.id,
  name: category.name,
  slug: category.slug,
});

const ORDER_BY: Record<ProductSort, SQL[]> = {
  relevance: [desc(relevance), desc(products.created_at), desc(products.id)],
  newest: [desc(products.created_at), desc(products.id)],
  price_asc: [asc(products.price), asc(products.id)],
  price_desc: [desc(products.price), desc(products.id)],
  name: [asc(products.name), asc(products.id)],
};

/** Money strings compare as DECIMAL in SQL (a bare string would compare as a double). */
const money = (amount: Placeholder) => sql`CAST(${amount} AS DECIMAL(12,2))`;

/** What a list page's SQL depends on (which filters, how many categories), never their values. */
interface ListShape {
  activeOnly: boolean;
  /** How many ids the category IN list holds; 0 for no category filter. */
  categories: number;
  minPrice: boolean;
  maxPrice: boolean;
  search: SearchShape | undefined;
  inStock: boolean | undefined;
}

const listKey = (shape: ListShape) =>
  `${+shape.activeOnly}${+shape.minPrice}${+shape.maxPrice}|${searchKey(shape.search)}` +
  `|${shape.inStock ?? ''}|${shape.categories}`;

/** The WHERE of a list page, its values left as placeholders (see `listValues`). */
function listWhere(shape: ListShape, part: SearchPart = 'all'): SQL | undefined {
  const conditions: SQL[] = [];
  if (shape.activeOnly) conditions.push(eq(products.is_active, true));
  if (shape.categories > 0)
    conditions.push(inArray(products.category_id, placeholders('category', shape.categories)));
  if (shape.minPrice) conditions.push(gte(products.price, money(sql.placeholder('min_price'))));
  if (shape.maxPrice) conditions.push(lte(products.price, money(sql.placeholder('max_price'))));
  // Name and description through the full-text index, or the name of the
  // product's own category (not its ancestors'): see search.ts.
  if (shape.search) conditions.push(searchCondition(shape.search, part));
  if (shape.inStock !== undefined) {
    conditions.push(
      shape.inStock ? gt(products.stock_quantity, 0) : eq(products.stock_quantity, 0),
    );
  }
  return and(...conditions);
}

/** The placeholders' values for `listWhere`. */
function listValues(
  input: ListProducts,
  categoryIds: number[] | undefined,
  search: { plan: SearchPlan; named: number[] } | undefined,
) {
  const values: Record<string, unknown> = search ? searchValues(search.plan, search.named) : {};
  categoryIds?.forEach((id, i) => (values[`category${i}`] = id));
  if (input.min_price !== undefined) values.min_price = input.min_price;
  if (input.max_price !== undefined) values.max_price = input.max_price;
  return values;
}

/**
 * What a full-text search's page carries besides the products: how many rows
 * match in all. The index hands the server every match to rank (or sort)
 * before the page is cut, so counting them in the same statement (a window
 * over the rows the index found) costs next to nothing, where a COUNT(*) of
 * its own would search the index a second time.
 */
const matches = sql<number>`count(*) over ()`.as('matches'); // a BIGINT: mysql2 reads a number

const pageStatement = preparedRows(
  (db, shape: ListShape & { sort: ProductSort; counted: boolean }) =>
    db
      .select({ ...getTableColumns(products), ...(shape.counted ? { matches } : {}) })
      .from(products)
      .where(listWhere(shape))
      .orderBy(...ORDER_BY[shape.sort])
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset')),
  (shape) => `${listKey(shape)}|${shape.sort}|${+shape.counted}`,
);

/** The order of a union's rows, by the names of its result columns. */
const UNION_ORDER: Record<ProductSort, SQL[]> = {
  relevance: [sql`score desc`, sql`created_at desc`, sql`id desc`],
  newest: [sql`created_at desc`, sql`id desc`],
  price_asc: [sql`price asc`, sql`id asc`],
  price_desc: [sql`price desc`, sql`id desc`],
  name: [sql`name asc`, sql`id asc`],
};

/**
 * The page of a split search (see `isSplit`): each half read through its own
 * index, in the page's order, up to the page's end (`head` rows: offset +
 * limit); then the two merged and the page cut. The halves never share a
 * row (the category half leaves out the text half's matches).
 */
const splitPageStatement = preparedRows(
  (db, shape: ListShape & { sort: ProductSort }) => {
    // The category half has no relevance (its rows did not match the text): newest first.
    const half = (part: SearchPart, score: SQL<number>, sort: ProductSort) =>
      db
        .select({ ...getTableColumns(products), score: score.as('score') })
        .from(products)
        .where(listWhere(shape, part))
        .orderBy(...ORDER_BY[sort])
        .limit(sql.placeholder('head'));
    const categorySort = shape.sort === 'relevance' ? 'newest' : shape.sort;
    return unionAll(
      half('text', relevance, shape.sort),
      half('category', sql<number>`0`, categorySort),
    )
      .orderBy(...UNION_ORDER[shape.sort])
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset'));
  },
  (shape) => `${listKey(shape)}|${shape.sort}`,
);

/**
 * The index that holds each category's public products in a sort's order.
 * Sorted by price, a category's page is the first rows of its range of
 * (category_id, is_active, price); left to itself the server walks the
 * whole catalog's price index instead and skips every other category's
 * products, which is quick for a cheap category and a scan for an expensive
 * one (the optimizer assumes price and category are unrelated: the first
 * page of Laptops by price took 207 ms of 100k products, 0.4 ms read this way).
 */
const CATEGORY_ORDER_INDEX: Partial<Record<ProductSort, string>> = {
  price_asc: 'products_category_active_price_idx',
  price_desc: 'products_category_active_price_idx',
  newest: 'products_category_active_created_idx',
  name: 'products_category_active_name_idx',
};

/** More categories than this (a whole department tree) read as one range, as before. */
const MAX_MERGED_CATEGORIES = 16;

/** Whether a page is read category by category and merged (categoryPageStatement). */
const mergedByCategory = (shape: ListShape, sort: ProductSort) =>
  shape.activeOnly &&
  shape.search === undefined &&
  shape.categories > 0 &&
  shape.categories <= MAX_MERGED_CATEGORIES &&
  CATEGORY_ORDER_INDEX[sort] !== undefined;

/**
 * A public page of a few categories in an indexed order: each category's
 * first `head` rows (offset + limit) through its own index range, merged
 * and cut to the page, so no more than categories × head rows are read,
 * however the products' prices fall. One category needs no merge.
 */
const categoryPageStatement = preparedRows(
  (db, shape: ListShape & { sort: ProductSort }) => {
    const others = listWhere({ ...shape, categories: 0 });
    const index = CATEGORY_ORDER_INDEX[shape.sort]!;
    const part = (i: number) =>
      db
        .select()
        .from(products, { forceIndex: [index] })
        .where(and(eq(products.category_id, sql.placeholder(`category${i}`)), others))
        .orderBy(...ORDER_BY[shape.sort]);
    if (shape.categories === 1) {
      return part(0).limit(sql.placeholder('limit')).offset(sql.placeholder('offset'));
    }
    const [first, second, ...rest] = Array.from({ length: shape.categories }, (_, i) =>
      part(i).limit(sql.placeholder('head')),
    );
    return unionAll(first!, second!, ...rest)
      .orderBy(...UNION_ORDER[shape.sort])
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset'));
  },
  (shape) => `${listKey(shape)}|${shape.sort}`,
);

const countStatement = prepared(
  (db, shape: ListShape & { part: SearchPart }) =>
    db.select({ n: count() }).from(products).where(listWhere(shape, shape.part)).prepare(),
  (shape) => `${listKey(shape)}|${shape.part}`,
);

/**
 * The exact number of products in the buckets that match, from the counters
 * the database keeps in the same transaction as every product write
 * (migration 0004_product_counts_triggers). Matches COUNT(*) with the same
 * category, `is_active` and stock conditions.
 */
const bucketCountStatement = prepared((db, shape: ListShape) => {
  const conditions: SQL[] = [];
  if (shape.categories > 0)
    conditions.push(inArray(productCounts.category_id, placeholders('category', shape.categories)));
  if (shape.activeOnly) conditions.push(eq(productCounts.is_active, true));
  if (shape.inStock !== undefined) conditions.push(eq(productCounts.in_stock, shape.inStock));
  return db
    .select({ n: sql`COALESCE(SUM(${productCounts.n}), 0)`.mapWith(Number) })
    .from(productCounts)
    .where(and(...conditions))
    .prepare();
}, listKey);

/** Images of `n` products, each product's list primary first, then by position. */
const imagesStatement = preparedRows(
  (db, n: number) =>
    db
      .select()
      .from(productImages)
      .where(inArray(productImages.product_id, placeholders('product', n)))
      .orderBy(desc(productImages.is_primary), asc(productImages.position), asc(productImages.id)),
  String,
);

const categoryNotFound = () =>
  invalidField('category_id', 'No such category', 'CATEGORY_NOT_FOUND');

/**
 * One page of products. Whatever the page size it costs four statements: the
 * category tree, then at once the page (followed by one batched load of its
 * images) and the exact total. Lists filtered by category and stock alone, the
 * common ones, are counted from `product_counts` (a few rows per category);
 * price and search filters fall back to COUNT(*) over products.
 */
export async function listProducts(primary: Database, input: ListProducts, visibility: Visibility) {
  const engine = searchEngineOf(primary);
  const plan = input.search === undefined ? undefined : planSearch(input.search);
  // A text of words the engine reads otherwise (other scripts) stays on the database.
  if (engine?.searchable() && (plan?.words.every(engineReadsWord) ?? true)) {
    try {
      return await listProductsVia(primary, input, visibility, plan, engine);
    } catch (error) {
      if (!(error instanceof EngineFailure)) throw error;
      // The engine away or refusing: this search, and the next ones for a
      // few seconds, are read from the database (Mroonga or InnoDB).
      engine.failed(error.cause, 'search');
    }
  }
  return listProductsVia(primary, input, visibility, plan, undefined);
}

/** A failure of the search engine itself (not of the database), which the database path can stand in for. */
class EngineFailure extends Error {}

async function listProductsVia(
  primary: Database,
  input: ListProducts,
  visibility: Visibility,
  plan: SearchPlan | undefined,
  engine: SearchEngine | undefined,
) {
  const db = readerFor(primary, visibility);
  const tree = await loadCategoryTree(db);

  let categoryIds: number[] | undefined;
  if (input.category_id !== undefined) {
    const known =
      tree.byId.has(input.category_id) &&
      (visibility.includeInactive || tree.isPublic(input.category_id));
    if (!known) throw categoryNotFound();
    categoryIds = tree.subtree(input.category_id);
  }
  if (!visibility.includeInactive) {
    const all = [...tree.byId.keys()];
    const visible = (categoryIds ?? all).filter((id) => tree.isPublic(id));
    // Skip the filter when it would keep every category anyway.
    categoryIds = categoryIds === undefined && visible.length === all.length ? undefined : visible;
  }
  if (categoryIds?.length === 0)
    return { items: [], pagination: toPagination(input.page, input.per_page, 0) };

  const search = plan && {
    plan,
    named: categoriesNamed(plan, input.search!, tree.byId.values()),
  };
  const shape: ListShape = {
    activeOnly: !visibility.includeInactive,
    categories: categoryIds?.length ?? 0,
    minPrice: input.min_price !== undefined,
    maxPrice: input.max_price !== undefined,
    search: search && searchShape(search.plan, search.named),
    inStock: input.in_stock,
  };
  // With a search engine (engine-search.ts), or where the database has the
  // Mroonga index (indexed-search.ts), a search of words goes through it, every
  // word a word prefix, short ones too; a stock filter, a sort by name or a
  // text of no word at all stays in SQL.
  const indexed =
    plan !== undefined &&
    plan.words.length > 0 &&
    input.in_stock === undefined &&
    input.sort !== 'name' &&
    (engine !== undefined || (await hasSearchIndex(primary)));
  const ranked = indexed || plan?.fullText !== undefined;
  const sort =
    input.sort === undefined || input.sort === 'relevance'
      ? ranked
        ? 'relevance'
        : 'newest'
      : input.sort;
  const values = listValues(input, categoryIds, search);
  const split = isSplit(shape.search);
  // A split search reads two halves and counts them apart (below).
  const counted = ranked && !split;
  const loadPage = async () => {
    const window = { limit: input.per_page, offset: (input.page - 1) * input.per_page };
    const head = window.offset + window.limit;
    const rows: Array<Raw<Product> & { matches?: number }> = split
      ? await splitPageStatement(db, { ...shape, sort }).execute({ ...values, ...window, head })
      : mergedByCategory(shape, sort)
        ? await categoryPageStatement(db, { ...shape, sort }).execute({
            ...values,
            ...window,
            head,
          })
        : await pageStatement(db, { ...shape, sort, counted }).execute({ ...values, ...window });
    const images = await imagesOf(
      db,
      rows.map((row) => row.id),
    );
    return { rows, images };
  };
  // Lists filtered by category and stock alone are counted from product_counts.
  const countedByBucket = !shape.minPrice && !shape.maxPrice && !shape.search;
  const countOf = async (part: SearchPart) => {
    const statement = countedByBucket
      ? bucketCountStatement(db, shape)
      : countStatement(db, { ...shape, part });
    const [row] = await statement.execute(values);
    return row?.n ?? 0;
  };
  // A split search counts its two halves apart (they share no row).
  const countTotal = async () =>
    split
      ? (await Promise.all([countOf('text'), countOf('category')])).reduce((a, b) => a + b)
      : countOf('all');
  // A counted page brings its total; no row (no match, or a page past the end) asks COUNT(*).
  const pageWithItsTotal = async () => {
    const page = await loadPage();
    const total = page.rows[0]?.matches ?? (input.page === 1 ? 0 : await countTotal());
    return [page, total] as const;
  };
  const [{ rows, images }, total] =
    indexed && sort !== 'name' // (never 'name' here; says so to the type)
      ? await indexedPage(db, engine, {
          words: plan.words,
          activeOnly: shape.activeOnly,
          categoryIds,
          named: search!.named,
          minCents: input.min_price === undefined ? undefined : toCents(input.min_price),
          maxCents: input.max_price === undefined ? undefined : toCents(input.max_price),
          sort,
          offset: (input.page - 1) * input.per_page,
          limit: input.per_page,
        })
      : counted
        ? await pageWithItsTotal()
        : await Promise.all([loadPage(), countTotal()]);

  const items: ProductListItem[] = rows.map((row) => {
    const first = images.get(row.id)?.[0];
    return toProductOutput(row, {
      category: toCategoryRef(tree.byId.get(row.category_id)!),
      primary_image: first ? toImageOutput(first) : null,
    });
  });
  return { items, pagination: toPagination(input.page, input.per_page, total) };
}

const productsByIdStatement = preparedRows(
  (db, n: number) =>
    db
      .select()
      .from(products)
      .where(inArray(products.id, placeholders('product', n))),
  String,
);

/**
 * A search page through the search engine or the Mroonga index: the ids and
 * total from it, the products read by id. A product the index lists that `products` no
 * longer holds as it matched (a write rolled back after its search row was
 * written; search-index.ts) is left off the page rather than shown.
 */
async function indexedPage(db: Database, engine: SearchEngine | undefined, search: IndexedSearch) {
  const { ids, total } = engine
    ? await engineSearchPage(engine, search).catch((error: unknown) => {
        throw new EngineFailure('search engine', { cause: error });
      })
    : await indexedSearchPage(db, search);
  // The products and their images at once: both need only the ids. (Images
  // of a product left off below are read for nothing; that is rare.)
  const [found, images] = await Promise.all([
    ids.length === 0
      ? []
      : productsByIdStatement(db, ids.length).execute(placeholderValues('product', ids)),
    imagesOf(db, ids),
  ]);
  const byId = new Map(found.map((row) => [row.id, row]));
  const categories = search.categoryIds && new Set(search.categoryIds);
  const rows = ids
    .map((id) => byId.get(id))
    .filter(
      (row): row is Raw<Product> =>
        row !== undefined &&
        (!search.activeOnly || row.is_active === 1) &&
        (!categories || categories.has(row.category_id)),
    );
  return [{ rows, images }, total] as const;
}

/** Images of many products in one statement, each product's list primary first, then by position. */
async function imagesOf(
  db: Database,
  productIds: number[],
): Promise<Map<number, Array<Raw<ProductImage>>>> {
  const byProduct = new Map<number, Array<Raw<ProductImage>>>();
  if (productIds.length === 0) return byProduct;
  const values: Record<string, number> = {};
  productIds.forEach((id, i) => (values[`product${i}`] = id));
  const rows = await imagesStatement(db, productIds.length).execute(values);
  for (const row of rows) {
    const list = byProduct.get(row.product_id) ?? [];
    list.push(row);
    byProduct.set(row.product_id, list);
  }
  return byProduct;
}

const productStatement = preparedRows(
  (db) =>
    db
      .select({
        ...getTableColumns(products),
        category_name: sql<string>`${categories.name}`.as('category_name'),
        category_slug: sql<string>`${categories.slug}`.as('category_slug'),
      })
      .from(products)
      .innerJoin(categories, eq(categories.id, products.category_id))
      .where(eq(products.id, sql.placeholder('id'))),
  () => '',
);

/** A product with its category and images; hidden ones are 404 unless the caller is an admin. */
export async function getProduct(
  primary: Database,
  id: number,
  visibility: Visibility,
): Promise<ProductOutput> {
  const db = readerFor(primary, visibility);
  const [row] = await productStatement(db, undefined).execute({ id });
  if (!row) throw notFound('Product');
  if (!visibility.includeInactive) {
    if (row.is_active === 0) throw notFound('Product');
    const tree = await loadCategoryTree(db);
    if (!tree.isPublic(row.category_id)) throw notFound('Product');
  }
  const images = await imagesOf(db, [id]);
  return toProductOutput(row, {
    category: { id: row.category_id, name: row.category_name, slug: row.category_slug },
    images: (images.get(id) ?? []).map(toImageOutput),
  });
}

/**
 * Image rows in the order given. At most one may be primary (each extra one is
 * a field error at its index); when none is, the first one becomes primary.
 * A row showing an upload's original waits for its variants (`files`), and
 * shows the original as its thumbnail meanwhile.
 */
function imageRows(productId: number, images: ImageInput[], files?: ProductImageFiles) {
  const primaries = images.flatMap((image, index) => (image.is_primary ? [index] : []));
  const extra = primaries[1];
  if (extra !== undefined) {
    throw invalidField(
      `images.${extra}.is_primary`,
      'Only one image can be primary',
      'MULTIPLE_PRIMARY_IMAGES',
    );
  }
  const primary = primaries[0] ?? 0;
  return images.map((image, index) => {
    const variants = files?.variantsOf(image) ?? (image.thumbnail_url ? 'ready' : 'none');
    return {
      product_id: productId,
      image_url: image.image_url,
      thumbnail_url: variants === 'pending' ? image.image_url : (image.thumbnail_url ?? null),
      alt_text: image.alt_text ?? '',
      is_primary: index === primary,
      position: index,
      variants,
    };
  });
}

/** Every URL a product's image rows show: the image and its thumbnail. */
const urlsOf = (rows: { image_url: string; thumbnail_url: string | null }[]) =>
  rows.flatMap((row) => (row.thumbnail_url ? [row.image_url, row.thumbnail_url] : [row.image_url]));

const imageUrlsOf = (tx: Transaction, productId: number) =>
  tx
    .select({ image_url: productImages.image_url, thumbnail_url: productImages.thumbnail_url })
    .from(productImages)
    .where(eq(productImages.product_id, productId));

/** Replaces the product's images; returns the URLs the old set showed and the new one does not. */
async function replaceImages(
  tx: Transaction,
  productId: number,
  images: ImageInput[],
  files: ProductImageFiles | undefined,
): Promise<string[]> {
  const rows = imageRows(productId, images, files);
  const before = urlsOf(await imageUrlsOf(tx, productId));
  await tx.delete(productImages).where(eq(productImages.product_id, productId));
  if (rows.length > 0) await tx.insert(productImages).values(rows);
  const after = new Set(urlsOf(rows));
  return before.filter((url) => !after.has(url));
}

async function assertCategoryExists(db: Database, categoryId: number) {
  const [row] = await db
    .select({ id: categories.id })
    .from(categories)
    .where(eq(categories.id, categoryId));
  if (!row) throw categoryNotFound();
}

/**
 * After a product write's transaction failed: the Mroonga search index takes
 * no part in transactions, so its rows of these products are put back as
 * `products` holds them (search-index.ts in @buybuy/db). Should that fail
 * too, both errors go up; when it failed because the database is away, the
 * write's own failure says so already (a 503), and `search:rebuild` mends.
 */
async function searchRowsBack(db: Database, ids: number[], failure: unknown): Promise<void> {
  try {
    await syncSearchRows(db, ids);
  } catch (error) {
    if (isDatabaseUnreachable(error)) throw failure;
    throw new AggregateError(
      [failure, error],
      'A product write failed, then its search rows could not be put back',
    );
  }
}

/**
 * Creates the product and its images in one transaction, and returns it as
 * `getProduct` does; the variants of uploads it shows are asked for after the commit (`files`).
 */
export async function createProduct(
  db: Database,
  input: CreateProduct,
  files?: ProductImageFiles,
): Promise<ProductOutput> {
  const { images, ...fields } = input;
  if (images) imageRows(0, images); // validate before writing anything
  await assertCategoryExists(db, fields.category_id);
  let id: number;
  let inserted: number | undefined;
  try {
    id = await db.transaction(async (tx) => {
      const [created] = await tx.insert(products).values(fields).$returningId();
      inserted = created!.id;
      if (images && images.length > 0)
        await tx.insert(productImages).values(imageRows(inserted, images, files));
      return inserted;
    });
  } catch (error) {
    await searchRowsBack(db, inserted === undefined ? [] : [inserted], error);
    throw isMissingReference(error) ? categoryNotFound() : error;
  }
  await waitForReplicas(db);
  await feedSearchEngine(db);
  await files?.afterCommit({ saved: images ?? [], dropped: [] });
  // Read back what was just written: includeInactive keeps this on the primary.
  return getProduct(db, id, { includeInactive: true });
}

/**
 * Partial update; `images`, when given, replaces the whole set in the same
 * transaction, and the files of the images it drops go after the commit (`files`).
 */
export async function updateProduct(
  db: Database,
  id: number,
  input: UpdateProduct,
  files?: ProductImageFiles,
): Promise<ProductOutput> {
  const { images, ...fields } = input;
  const [existing] = await db.select({ id: products.id }).from(products).where(eq(products.id, id));
  if (!existing) throw notFound('Product');
  if (images) imageRows(id, images);
  if (fields.category_id !== undefined) await assertCategoryExists(db, fields.category_id);

  const changes = givenFields(fields);
  if (Object.keys(changes).length > 0 || images) {
    let dropped: string[] = [];
    try {
      await db.transaction(async (tx) => {
        await tx
          .update(products)
          .set({ ...changes, updated_at: new Date() })
          .where(eq(products.id, id));
        if (images) dropped = await replaceImages(tx, id, images, files);
      });
    } catch (error) {
      await searchRowsBack(db, [id], error);
      throw isMissingReference(error) ? categoryNotFound() : error;
    }
    await waitForReplicas(db);
    await feedSearchEngine(db);
    await files?.afterCommit({ saved: images ?? [], dropped });
  }
  // Read back what was just written: includeInactive keeps this on the primary.
  return getProduct(db, id, { includeInactive: true });
}

/**
 * Deletes the product; its image rows go with it (ON DELETE CASCADE), and
 * their files after the commit (`files`), unless another product shows them.
 */
export async function deleteProduct(
  db: Database,
  id: number,
  files?: ProductImageFiles,
): Promise<null> {
  const [existing] = await db.select({ id: products.id }).from(products).where(eq(products.id, id));
  if (!existing) throw notFound('Product');
  let dropped: string[];
  try {
    dropped = await db.transaction(async (tx) => {
      const urls = urlsOf(await imageUrlsOf(tx, id));
      await tx.delete(products).where(eq(products.id, id));
      return urls;
    });
  } catch (error) {
    await searchRowsBack(db, [id], error);
    if (isStillReferenced(error))
      throw conflict(
        'PRODUCT_IN_USE',
        'This product is referenced elsewhere (orders) and cannot be deleted',
      );
    throw error;
  }
  await waitForReplicas(db);
  await feedSearchEngine(db);
  await files?.afterCommit({ saved: [], dropped });
  return null;
}
