import { randomInt } from 'node:crypto';

import {
  categories,
  type Category,
  type Database,
  duplicateKeyIndex,
  isMissingReference,
  isStillReferenced,
  preparedRows,
  products,
  type Raw,
  waitForReplicas,
} from '@buybuy/db';
import { asc, count, eq, like, or, sql } from 'drizzle-orm';

import { readerFor } from '../catalog/visibility';
import { AppError, conflict, invalidField, notFound } from '../errors';
import { givenFields } from '../shared/objects';
import { toTimestamp } from '../shared/schemas';
import type { CategoryNode, CategoryOutput, CreateCategory, UpdateCategory } from './schemas';
import { nthFreeSlug, slugify } from './slug';

const SLUG_INDEX = 'categories_slug_unique';
/**
 * Concurrent creates may take a derived slug between our look-up and our
 * insert; a lost insert means another create took that slug, so each round
 * some racer wins and the slugs stay gap-free (`x`, `x-2`, `x-3`, ...). Past
 * SEQUENTIAL_SLUG_ROUNDS (that many simultaneous creates of one name), a
 * racer picks at random among the first 2, 4, 8, ... free slugs so a crowd
 * spreads out instead of colliding on one candidate a round.
 */
const SEQUENTIAL_SLUG_ROUNDS = 32;
const DERIVED_SLUG_ATTEMPTS = SEQUENTIAL_SLUG_ROUNDS + 20;
const slugSpread = (attempt: number) =>
  attempt < SEQUENTIAL_SLUG_ROUNDS ? 1 : 2 ** Math.min(attempt - SEQUENTIAL_SLUG_ROUNDS + 1, 10);

export const toCategoryOutput = (row: Category): CategoryOutput => ({
  id: row.id,
  name: row.name,
  description: row.description,
  slug: row.slug,
  parent_id: row.parent_id,
  is_active: row.is_active,
  created_at: toTimestamp(row.created_at),
  updated_at: toTimestamp(row.updated_at),
});

/** Just enough of a category to decide visibility and walk the tree. */
export interface CategoryRef {
  id: number;
  name: string;
  slug: string;
  parent_id: number | null;
  is_active: boolean;
}

/**
 * The whole category tree in memory. Catalogs have tens to a few thousand
 * categories, so one statement that loads them all is cheaper than a
 * recursive query per question.
 */
export class CategoryTree {
  readonly byId: Map<number, CategoryRef>;
  private readonly childrenOf = new Map<number | null, CategoryRef[]>();
  private readonly visibility = new Map<number, boolean>();

  constructor(rows: CategoryRef[]) {
    this.byId = new Map(rows.map((row) => [row.id, row]));
    for (const row of rows) {
      const siblings = this.childrenOf.get(row.parent_id) ?? [];
      siblings.push(row);
      this.childrenOf.set(row.parent_id, siblings);
    }
  }

  /**
   * Public visibility: a category is shown only when it and every ancestor are
   * active, so deactivating "Shoes" hides "Shoes > Boots" too.
   */
  isPublic(id: number): boolean {
    const known = this.visibility.get(id);
    if (known !== undefined) return known;
    const row = this.byId.get(id);
    // Marked hidden first, so a (never expected) cycle in the data ends the walk.
    this.visibility.set(id, false);
    const visible =
      !!row && row.is_active && (row.parent_id === null || this.isPublic(row.parent_id));
    this.visibility.set(id, visible);
    return visible;
  }

  /** The category and all its descendants (cycle-safe). */
  subtree(id: number): number[] {
    const seen = new Set<number>([id]);
    const queue = [id];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      for (const child of this.childrenOf.get(next) ?? []) {
        if (!seen.has(child.id)) {
          seen.add(child.id);
          queue.push(child.id);
        }
      }
    }
    return [...seen];
  }
}

const treeStatement = preparedRows(
  (db) =>
    db
      .select({
        id: categories.id,
        name: categories.name,
        slug: categories.slug,
        parent_id: categories.parent_id,
        is_active: categories.is_active,
      })
      .from(categories),
  () => '',
);

type TreeRow = Raw<CategoryRef>;

/** The tree last built on each handle, and the rows it was built from. */
const lastTrees = new WeakMap<Database, { rows: TreeRow[]; tree: CategoryTree }>();

const sameRows = (a: TreeRow[], b: TreeRow[]) =>
  a.length === b.length &&
  a.every(
    (row, i) =>
      row.id === b[i]!.id &&
      row.name === b[i]!.name &&
      row.slug === b[i]!.slug &&
      row.parent_id === b[i]!.parent_id &&
      row.is_active === b[i]!.is_active,
  );

/**
 * The category tree, read on every call (one statement; no cache decides
 * what it holds). Most pages need it and it rarely changes, so when the rows
 * are exactly those the handle's last tree was built from, that tree (with
 * the visibility it already worked out) answers again instead of a new one:
 * every catalog page then reads 5 fields of each category and builds nothing.
 */
export async function loadCategoryTree(db: Database): Promise<CategoryTree> {
  const rows = await treeStatement(db, undefined).execute();
  const last = lastTrees.get(db);
  if (last && sameRows(last.rows, rows)) return last.tree;
  const tree = new CategoryTree(rows.map((row) => ({ ...row, is_active: row.is_active === 1 })));
  lastTrees.set(db, { rows, tree });
  return tree;
}

export interface ListCategoriesOptions {
  tree: boolean;
  includeInactive: boolean;
}

/** Categories by name, flat with `parent_id`, or nested under `children` when `tree` is set. */
export async function listCategories(
  primary: Database,
  options: ListCategoriesOptions,
): Promise<CategoryNode[]> {
  const db = readerFor(primary, options);
  const rows = await db.select().from(categories).orderBy(asc(categories.name), asc(categories.id));
  const tree = new CategoryTree(rows);
  const shown = options.includeInactive ? rows : rows.filter((row) => tree.isPublic(row.id));
  const items = shown.map(toCategoryOutput);
  if (!options.tree) return items;

  const nodes = new Map<number, CategoryNode>(
    items.map((item) => [item.id, { ...item, children: [] }]),
  );
  const roots: CategoryNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parent_id === null ? undefined : nodes.get(node.parent_id);
    // Shown rows always have their parent shown too (visibility is inherited), so only real roots land here.
    if (parent) parent.children!.push(node);
    else roots.push(node);
  }
  return roots;
}

/** One category with its direct children; inactive ones exist only for admins. */
export async function getCategory(
  primary: Database,
  id: number,
  options: { includeInactive: boolean },
) {
  const db = readerFor(primary, options);
  const rows = await db
    .select()
    .from(categories)
    .where(or(eq(categories.id, id), eq(categories.parent_id, id)))
    .orderBy(asc(categories.name), asc(categories.id));
  const category = rows.find((row) => row.id === id);
  if (!category) throw notFound('Category');
  let children = rows.filter((row) => row.id !== id);
  if (!options.includeInactive) {
    const tree = await loadCategoryTree(db);
    if (!tree.isPublic(id)) throw notFound('Category');
    children = children.filter((child) => child.is_active);
  }
  return { ...toCategoryOutput(category), children: children.map(toCategoryOutput) };
}

async function findCategory(db: Database, id: number): Promise<Category | undefined> {
  const [row] = await db.select().from(categories).where(eq(categories.id, id));
  return row;
}

const parentNotFound = () =>
  invalidField('parent_id', 'The parent category does not exist', 'PARENT_NOT_FOUND');
const slugTaken = () => conflict('SLUG_TAKEN', 'Another category already uses this slug', 'slug');

async function assertParentExists(db: Database, parentId: number) {
  const [row] = await db
    .select({ id: categories.id })
    .from(categories)
    .where(eq(categories.id, parentId));
  if (!row) throw parentNotFound();
}

/** Maps the database's refusals to domain errors; anything else is re-thrown as is. */
function categoryWriteError(error: unknown): unknown {
  if (duplicateKeyIndex(error) === SLUG_INDEX) return slugTaken();
  if (isMissingReference(error)) return parentNotFound();
  return error;
}

export async function createCategory(db: Database, input: CreateCategory): Promise<CategoryOutput> {
  if (input.parent_id != null) await assertParentExists(db, input.parent_id);
  const values = {
    name: input.name,
    description: input.description ?? null,
    parent_id: input.parent_id ?? null,
    is_active: input.is_active ?? true,
  };

  let id: number | undefined;
  if (input.slug !== undefined) {
    id = await insertCategory(db, { ...values, slug: input.slug }).catch((error: unknown) => {
      throw categoryWriteError(error);
    });
  } else {
    const base = slugify(input.name);
    for (let attempt = 0; attempt < DERIVED_SLUG_ATTEMPTS && id === undefined; attempt++) {
      const taken = await db
        .select({ slug: categories.slug })
        .from(categories)
        .where(or(eq(categories.slug, base), like(categories.slug, `${base}-%`)));
      const slug = nthFreeSlug(
        base,
        new Set(taken.map((row) => row.slug)),
        randomInt(slugSpread(attempt)),
      );
      try {
        id = await insertCategory(db, { ...values, slug });
      } catch (error) {
        if (duplicateKeyIndex(error) !== SLUG_INDEX) throw categoryWriteError(error);
      }
    }
    if (id === undefined)
      throw conflict('SLUG_TAKEN', 'Could not derive a free slug, pass one explicitly', 'slug');
  }

  await waitForReplicas(db);
  const created = await findCategory(db, id);
  if (!created)
    throw new AppError('INTERNAL_SERVER_ERROR', 'INTERNAL', 'The new category vanished');
  return toCategoryOutput(created);
}

async function insertCategory(
  db: Database,
  values: typeof categories.$inferInsert,
): Promise<number> {
  const [row] = await db.insert(categories).values(values).$returningId();
  return row!.id;
}

/** Ids on the parent chain of `id`, itself included (UNION stops on a cycle). */
async function ancestorIds(db: Database, id: number): Promise<number[]> {
  const [rows] = (await db.execute(sql`
    WITH RECURSIVE ancestors (id, parent_id) AS (
      SELECT id, parent_id FROM categories WHERE id = ${id}
      UNION
      SELECT c.id, c.parent_id FROM categories c JOIN ancestors a ON c.id = a.parent_id
    )
    SELECT id FROM ancestors`)) as unknown as [Array<{ id: number | string }>];
  return rows.map((row) => Number(row.id));
}

export async function updateCategory(
  db: Database,
  id: number,
  input: UpdateCategory,
): Promise<CategoryOutput> {
  const existing = await findCategory(db, id);
  if (!existing) throw notFound('Category');

  if (input.parent_id != null) {
    const cycle = () =>
      invalidField(
        'parent_id',
        'A category cannot be moved under itself or its own descendant',
        'CATEGORY_CYCLE',
      );
    if (input.parent_id === id) throw cycle();
    const chain = await ancestorIds(db, input.parent_id);
    if (chain.length === 0) throw parentNotFound();
    if (chain.includes(id)) throw cycle();
  }

  const changes = givenFields(input);
  if (Object.keys(changes).length > 0) {
    try {
      await db.update(categories).set(changes).where(eq(categories.id, id));
    } catch (error) {
      throw categoryWriteError(error);
    }
    await waitForReplicas(db);
  }
  const updated = await findCategory(db, id);
  if (!updated) throw notFound('Category');
  return toCategoryOutput(updated);
}

/** Only empty categories go: no children, no products (409 CATEGORY_NOT_EMPTY otherwise). */
export async function deleteCategory(db: Database, id: number): Promise<null> {
  const existing = await findCategory(db, id);
  if (!existing) throw notFound('Category');
  const notEmpty = () =>
    conflict(
      'CATEGORY_NOT_EMPTY',
      'Move or delete its subcategories and products before deleting this category',
    );
  const [[children], [items]] = await Promise.all([
    db.select({ n: count() }).from(categories).where(eq(categories.parent_id, id)),
    db.select({ n: count() }).from(products).where(eq(products.category_id, id)),
  ]);
  if ((children?.n ?? 0) > 0 || (items?.n ?? 0) > 0) throw notEmpty();
  try {
    await db.delete(categories).where(eq(categories.id, id));
  } catch (error) {
    throw isStillReferenced(error) ? notEmpty() : error;
  }
  await waitForReplicas(db);
  return null;
}
