import Fastify from 'fastify';
import mysql from 'mysql2/promise';

/**
 * The reference points, in a process of their own: `GET /fixed` answers a
 * page of 20 products held in memory (what bare Fastify can do on this
 * machine: the ceiling), and `GET /raw` runs the page's SELECT and COUNT
 * through mysql2 directly, the floor any ORM, router and envelope add to.
 * Both send the page as `{items, pagination}` JSON, like the API.
 */
const url = process.env.DATABASE_URL!;
const port = Number(process.env.PORT ?? 0);
const poolSize = Number(process.env.DATABASE_POOL_SIZE ?? 10);

// The same statements listProducts sends for the public first page, newest first.
const PAGE_SQL =
  'select `id`, `name`, `description`, `price`, `category_id`, `stock_quantity`, `is_active`, `created_at`, `updated_at` from `products` where `products`.`is_active` = ? order by `products`.`created_at` desc, `products`.`id` desc limit ?';
const COUNT_SQL = 'select count(*) as `n` from `products` where `products`.`is_active` = ?';

const pool = mysql.createPool({ uri: url, connectionLimit: poolSize, timezone: 'Z' });
const page = async () => {
  const [[rows], [counted]] = await Promise.all([
    pool.query(PAGE_SQL, [true, 20]),
    pool.query(COUNT_SQL, [true]),
  ]);
  const total = Number((counted as Array<{ n: number }>)[0]?.n ?? 0);
  return {
    items: rows,
    pagination: { page: 1, per_page: 20, total, total_pages: Math.ceil(total / 20) },
  };
};

const fixed = JSON.stringify(await page());
const app = Fastify({ logger: false });
app.get('/fixed', async (_request, reply) => reply.type('application/json').send(fixed));
app.get('/raw', async () => page());
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
