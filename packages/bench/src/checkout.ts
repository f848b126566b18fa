import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import autocannon from 'autocannon';
import type { Pool, RowDataPacket } from 'mysql2/promise';

/**
 * The checkout scenarios: each autocannon connection loops over "add one
 * unit to a new guest cart" then "place that cart as an order", the second
 * request carrying the first one's cart token. Both the API and the raw
 * mysql2 baseline (raw-checkout.ts) are driven with the same two steps, so
 * orders/s compares the same work.
 */
export interface CheckoutTarget {
  name: string;
  port: number;
  /** The process serving it, whose CPU time is read per order. */
  pid?: number;
  cartPath: string;
  orderPath: string;
}

export interface CheckoutRun {
  orders: number;
  ordersPerSecond: number;
  /** Latency of the place-order request alone (ms). */
  p50: number;
  p99: number;
  /** CPU time (user + system) the serving process spent per order, in ms; null when unknown. */
  cpuPerOrder: number | null;
  /** Refusals and failures, as "step CODE" (e.g. "order OUT_OF_STOCK"), plus socket errors. */
  codes: Record<string, number>;
}

/** What the bench orders: the products and a shipping method of the bench database. */
export interface CheckoutWorld {
  /** Products for the no-contention scenario, one per checkout in turn. */
  spread: number[];
  /** The one product every checkout of the contention scenario buys. */
  hot: number;
  shippingMethodId: number;
}

const EMAIL = 'checkout-bench@example.com';
const ADDRESS = {
  full_name: 'Bench Shopper',
  line1: '1 Load Street',
  city: 'Lisbon',
  postal_code: '1000-001',
  country: 'PT',
};
/** Stock large enough that no measured run sells out (a run places well under 100k orders). */
export const PLENTY = 1_000_000;

/**
 * Clears what earlier runs left (their orders and the guest carts they
 * emptied: the bench database is the bench's alone) and picks sellable
 * products (active, in an active category) at the end of the catalog, away
 * from the ids the catalog scenarios read.
 */
export async function prepareCheckout(pool: Pool, spreadCount: number): Promise<CheckoutWorld> {
  await pool.query('delete from orders where email = ?', [EMAIL]);
  await pool.query('delete from carts where user_id is null');
  const [products] = await pool.query<RowDataPacket[]>(
    `select p.id from products p join categories c on c.id = p.category_id
      where p.is_active = 1 and c.is_active = 1 order by p.id desc limit ?`,
    [spreadCount + 1],
  );
  const [methods] = await pool.query<RowDataPacket[]>(
    'select id from shipping_methods where is_active = 1 order by id limit 1',
  );
  if (products.length < spreadCount + 1) throw new Error('too few sellable products to bench');
  if (!methods[0]) throw new Error('no active shipping method: the seed adds three');
  const [hot, ...spread] = products.map((row) => row.id as number);
  return { spread, hot: hot!, shippingMethodId: methods[0].id as number };
}

export async function setStock(pool: Pool, productIds: number[], stock: number): Promise<void> {
  await pool.query('update products set stock_quantity = ? where id in (?)', [stock, productIds]);
}

export async function stockOf(pool: Pool, productId: number): Promise<number> {
  const [rows] = await pool.query<RowDataPacket[]>(
    'select stock_quantity from products where id = ?',
    [productId],
  );
  return rows[0]!.stock_quantity as number;
}

/** Order lines placed for the product so far (the bench's orders only). */
export async function unitsOrdered(pool: Pool, productId: number): Promise<number> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `select coalesce(sum(i.quantity), 0) as n from order_items i join orders o on o.id = i.order_id
      where i.product_id = ? and o.email = ?`,
    [productId, EMAIL],
  );
  return Number(rows[0]!.n);
}

interface Iteration {
  token?: string;
  sentAt?: number;
}

/**
 * CPU time a process has used so far, in ms, from /proc/<pid>/stat (utime
 * and stime, in USER_HZ ticks: 100 per second on Linux); null elsewhere.
 * It moves less than orders/s with what else the machine runs (waiting for a
 * core costs none), though a crowded machine still makes the same work dearer.
 */
function cpuMs(pid: number | undefined): number | null {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return null;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

/** Runs autocannon; when `done` turns true (polled), stops a second later, so the last racers answer. */
function load(
  options: autocannon.Options,
  done?: () => Promise<boolean>,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error: unknown, result) =>
      error ? reject(error as Error) : resolve(result),
    );
    if (!done) return;
    let running = true;
    instance.on('done', () => (running = false));
    const poll = () => {
      if (!running) return;
      done().then(
        (finished) => setTimeout(finished ? () => instance.stop() : poll, finished ? 1000 : 250),
        (error: unknown) => {
          instance.stop();
          reject(error as Error);
        },
      );
    };
    setTimeout(poll, 250);
  });
}

/**
 * One autocannon run of add-then-order loops; `product` names each
 * iteration's product. `until` ends the run early (the duration is then a cap).
 */
export async function measureCheckout(
  target: CheckoutTarget,
  world: CheckoutWorld,
  product: () => number,
  options: { duration: number; connections: number; until?: () => Promise<boolean> },
): Promise<CheckoutRun> {
  const codes: Record<string, number> = {};
  const latencies: number[] = [];
  let orders = 0;
  const refused = (step: string, status: number, body: string) => {
    const code = /"code":"([A-Z_]+)"/.exec(body)?.[1] ?? `HTTP ${status}`;
    const key = `${step} ${code}`;
    codes[key] = (codes[key] ?? 0) + 1;
  };
  const json = { 'content-type': 'application/json' };
  const orderBody = JSON.stringify({
    email: EMAIL,
    shipping_address: ADDRESS,
    shipping_method_id: world.shippingMethodId,
  });

  const cpuBefore = cpuMs(target.pid);
  const result = await load(
    {
      url: `http://127.0.0.1:${target.port}`,
      connections: options.connections,
      duration: options.duration,
      requests: [
        {
          method: 'POST',
          path: target.cartPath,
          headers: json,
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify({ product_id: product(), quantity: 1 }),
          }),
          onResponse: (status, body, context) => {
            const token = /"cart_token":"([^"]+)"/.exec(body)?.[1];
            if (status < 300 && token) (context as Iteration).token = token;
            else refused('add', status, body);
          },
        },
        {
          method: 'POST',
          path: target.orderPath,
          body: orderBody,
          // No cart (the add was refused): start the next iteration instead.
          setupRequest: (request, context) => {
            const iteration = context as Iteration;
            if (!iteration.token) return undefined as unknown as typeof request;
            iteration.sentAt = performance.now();
            return { ...request, headers: { ...json, 'x-cart-token': iteration.token } };
          },
          onResponse: (status, body, context) => {
            const { sentAt } = context as Iteration;
            if (sentAt !== undefined) latencies.push(performance.now() - sentAt);
            if (status === 201) orders++;
            else refused('order', status, body);
          },
        },
      ],
    },
    options.until,
  );
  const cpuAfter = cpuMs(target.pid);
  if (result.errors > 0) codes['socket errors'] = result.errors;
  if (result.timeouts > 0) codes.timeouts = result.timeouts;
  latencies.sort((a, b) => a - b);
  return {
    orders,
    ordersPerSecond: orders / result.duration,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    cpuPerOrder:
      cpuBefore === null || cpuAfter === null || orders === 0
        ? null
        : (cpuAfter - cpuBefore) / orders,
    codes,
  };
}

/** `{a: 2, b: 1}` as "a 2, b 1", or "0". */
export function describeCodes(codes: Record<string, number>): string {
  const entries = Object.entries(codes).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? '0' : entries.map(([code, n]) => `${code} ${n}`).join(', ');
}

/** Whether every refusal is OUT_OF_STOCK (the one failure contention may cause). */
export const onlyOutOfStock = (codes: Record<string, number>) =>
  Object.keys(codes).every((key) => key.endsWith(' OUT_OF_STOCK'));
