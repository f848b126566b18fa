import Fastify from 'fastify';
import mysql, { type RowDataPacket } from 'mysql2/promise';

import { registerRawCheckout } from './raw-checkout';

/**
 * The reference points, in a process of their own: `GET /fixed` answers a
 * page of 20 products held in memory (what bare Fastify can do on this
 * machine: the ceiling), and the `/raw...` routes build a list page straight
 * through mysql2, with the very statements the API sends for it (copied from
 * drizzle's log), so the gap to the API is what the ORM, the router, the
 * validation and the envelope cost; `/raw-detail/:id` does the same for a
 * product page, and `/raw-like?q=` is the search as it was before the
 * full-text index. All answer the page as JSON. The
 * `/raw/cart/items` and `/raw/orders` routes do the same for a guest's
 * one-line checkout (raw-checkout.ts).
 */
const url = process.env.DATABASE_URL!;
const port = Number(process.env.PORT ?? 0);
const poolSize = Number(process.env.DATABASE_POOL_SIZE ?? 10);

const TREE_SQL = 'select `id`, `name`, `slug`, `parent_id`, `is_active` from `categories`';
const COLUMNS =
  '`id`, `name`, `description`, `price`, `category_id`, `stock_quantity`, `is_active`, `created_at`, `updated_at`';
const ORDER = 'order by `products`.`created_at` desc, `products`.`id` desc limit ?';
const PRICE_RANGE =
  '`products`.`price` >= CAST(? AS DECIMAL(12,2)) and `products`.`price` <= CAST(? AS DECIMAL(12,2))';
const imagesSql = (n: number) =>
  'select `id`, `product_id`, `image_url`, `thumbnail_url`, `alt_text`, `variants`, `is_primary`, `position`, `created_at` from `product_images` where `product_images`.`product_id` in (' +
  Array(n).fill('?').join(', ') +
  ') order by `product_images`.`is_primary` desc, `product_images`.`position` asc, `product_images`.`id` asc';

interface Page {
  /** The page's SELECT and its parameters. */
  page: [string, unknown[]];
  /** The statement giving the exact total. */
  total: [string, unknown[]];
  /** Whether the API would also load the category tree and the images. */
  full: boolean;
}

const PAGES: Record<string, Page> = {
  // `GET /v1/products?per_page=20`: the total comes from product_counts.
  '/raw': {
    page: [
      `select ${COLUMNS} from \`products\` where \`products\`.\`is_active\` = ? ${ORDER}`,
      [true, 20],
    ],
    total: [
      'select COALESCE(SUM(`n`), 0) as `n` from `product_counts` where `product_counts`.`is_active` = ?',
      [true],
    ],
    full: true,
  },
  // `GET /v1/products?min_price=100&max_price=200&per_page=20`: a filter product_counts cannot answer.
  '/raw-price': {
    page: [
      `select ${COLUMNS} from \`products\` where (\`products\`.\`is_active\` = ? and ${PRICE_RANGE}) ${ORDER}`,
      [true, '100.00', '200.00', 20],
    ],
    total: [
      `select count(*) as \`n\` from \`products\` where (\`products\`.\`is_active\` = ? and ${PRICE_RANGE})`,
      [true, '100.00', '200.00'],
    ],
    full: true,
  },
  // The first page as it was counted before product_counts: the page and COUNT(*), nothing else.
  '/raw-count': {
    page: [
      `select ${COLUMNS} from \`products\` where \`products\`.\`is_active\` = ? ${ORDER}`,
      [true, 20],
    ],
    total: ['select count(*) as `n` from `products` where `products`.`is_active` = ?', [true]],
    full: false,
  },
};

/**
 * `GET /v1/products?search=…` as the API read it before the full-text index
 * (issue 13; `git show edde3db^:packages/api/src/products/service.ts`): a
 * substring of the name, the description or the category's name, counted
 * with COUNT(*). Every row of products is read for every search.
 */
const LIKE_SEARCH =
  '(`products`.`name` like ? or `products`.`description` like ? or `products`.`category_id` IN (SELECT `categories`.`id` FROM `categories` WHERE `categories`.`name` like ?))';
function likeSearch(text: string): Page {
  const pattern = `%${text.replace(/[\\%_]/g, '\\$&')}%`;
  const values = [true, pattern, pattern, pattern];
  const where = `\`products\`.\`is_active\` = ? and ${LIKE_SEARCH}`;
  return {
    page: [`select ${COLUMNS} from \`products\` where (${where}) ${ORDER}`, [...values, 20]],
    total: [`select count(*) as \`n\` from \`products\` where (${where})`, values],
    full: true,
  };
}

// As the API's pool (packages/db): no stack captured per statement.
const pool = mysql.createPool({ uri: url, connectionLimit: poolSize, timezone: 'Z', trace: false });
const rowsOf = async (sql: string, values: unknown[]) =>
  (await pool.query<RowDataPacket[]>(sql, values))[0];

async function load({ page, total, full }: Page) {
  const tree = full ? await rowsOf(TREE_SQL, []) : [];
  const categories = new Map(tree.map((row) => [row.id as number, row]));
  const withImages = async () => {
    const rows = await rowsOf(...page);
    if (!full || rows.length === 0) return { rows, images: [] as RowDataPacket[] };
    const ids = rows.map((row) => row.id as number);
    return { rows, images: await rowsOf(imagesSql(ids.length), ids) };
  };
  const [{ rows, images }, [counted]] = await Promise.all([withImages(), rowsOf(...total)]);
  const primary = new Map<number, RowDataPacket>();
  for (const image of images)
    if (!primary.has(image.product_id)) primary.set(image.product_id, image);
  const n = Number(counted?.n ?? 0);
  return {
    items: rows.map((row) => {
      const category = categories.get(row.category_id);
      return {
        ...row,
        category: category ? { id: category.id, name: category.name, slug: category.slug } : null,
        primary_image: primary.get(row.id) ?? null,
      };
    }),
    pagination: { page: 1, per_page: 20, total: n, total_pages: Math.ceil(n / 20) },
  };
}

/** `GET /v1/products?per_page=20&include_inactive=true` as an admin: every product, every bucket. */
const ADMIN_PAGE: Page = {
  page: [`select ${COLUMNS} from \`products\` ${ORDER}`, [20]],
  total: ['select COALESCE(SUM(`n`), 0) as `n` from `product_counts`', []],
  full: true,
};

/** What the API asks of a bearer token's session on every signed-in request (auth's `findLive`). */
const SESSION_SQL =
  'select `users`.`id`, `users`.`username`, `users`.`email`, `users`.`is_staff`, `users`.`is_active` from `sessions` inner join `users` on `users`.`id` = `sessions`.`user_id` where (`sessions`.`family_id` = ? and `sessions`.`user_id` = ? and `sessions`.`expires_at` > ?) limit ?';

const PRODUCT_SQL =
  'select `products`.`id`, `products`.`name`, `products`.`description`, `products`.`price`, `products`.`category_id`, `products`.`stock_quantity`, `products`.`is_active`, `products`.`created_at`, `products`.`updated_at`, `categories`.`name` as `category_name`, `categories`.`slug` as `category_slug` from `products` inner join `categories` on `categories`.`id` = `products`.`category_id` where `products`.`id` = ?';

/**
 * `GET /v1/products/{id}` as a shopper reads it: the product with its
 * category's name, then (to hide a product of a hidden category) the tree,
 * then its images; the same three statements, one after the other.
 */
async function loadProduct(id: number) {
  const [product] = await rowsOf(PRODUCT_SQL, [id]);
  if (!product || !product.is_active) return null;
  const tree = new Map((await rowsOf(TREE_SQL, [])).map((row) => [row.id as number, row]));
  for (let at = tree.get(product.category_id); at; at = tree.get(at.parent_id)) {
    if (!at.is_active) return null;
  }
  const { category_name, category_slug, ...fields } = product;
  return {
    ...fields,
    category: { id: product.category_id, name: category_name, slug: category_slug },
    images: await rowsOf(imagesSql(1), [id]),
  };
}

const fixed = JSON.stringify(await load(PAGES['/raw']!));
const app = Fastify({ logger: false });
app.get('/fixed', async (_request, reply) => reply.type('application/json').send(fixed));
for (const [path, page] of Object.entries(PAGES)) app.get(path, async () => load(page));
app.get<{ Querystring: { q?: string } }>('/raw-like', async (request) =>
  load(likeSearch(request.query.q ?? '')),
);
// The admin's session first (`?sid=…&uid=…`, from the access token's claims), then the page.
app.get<{ Querystring: { sid?: string; uid?: string } }>('/raw-admin', async (request, reply) => {
  const { sid, uid } = request.query;
  const [user] = await rowsOf(SESSION_SQL, [sid, Number(uid), new Date(), 1]);
  if (!user?.is_active || !user.is_staff) return reply.code(401).send({ success: false });
  return load(ADMIN_PAGE);
});
app.get<{ Params: { id: string } }>('/raw-detail/:id', async (request, reply) => {
  const product = await loadProduct(Number(request.params.id));
  return product ?? reply.code(404).send({ success: false });
});
registerRawCheckout(app, pool);
const address = await app.listen({ host: '127.0.0.1', port });
process.stdout.write(`listening ${address}\n`);

const stop = () => {
  void app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
