import type { Pool } from 'mysql2/promise';

import {
  type CheckoutRun,
  type CheckoutTarget,
  describeCodes,
  measureCheckout,
  onlyOutOfStock,
  PLENTY,
  prepareCheckout,
  setStock,
  stockOf,
  unitsOrdered,
} from './checkout';

export interface CheckoutBenchOptions {
  pool: Pool;
  /** The raw mysql2 baseline first, then the API: each row of the API is compared with it. */
  raw: CheckoutTarget;
  api: CheckoutTarget;
  duration: number;
  rounds: number;
  connections: number;
  /** How many products the no-contention scenario spreads its checkouts over. */
  spread: number;
  /** Units of the hot product on sale in the sell-out run. */
  sellOut: number;
  /** Longest the sell-out may take, in seconds. */
  sellOutCap: number;
  log: (line: string) => void;
}

/**
 * Requests still in flight when a run ends go on in the server (up to one per
 * connection, a second or more of work for the API here): wait for them, so
 * they neither take CPU from the next run nor stock from the sell-out.
 */
const SETTLE_MS = 2000;
const settle = () => new Promise((done) => setTimeout(done, SETTLE_MS));

/**
 * Longer than the catalog's 2 s: at a few dozen orders/s, the API's code
 * needs several seconds of calls before V8 has optimised it.
 */
const WARM_UP_S = 5;

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** The serving process's CPU per order over the runs, or blank when it could not be read. */
function cpu(runs: CheckoutRun[]): string {
  const known = runs.map((r) => r.cpuPerOrder).filter((ms): ms is number => ms !== null);
  return known.length === runs.length ? mean(known).toFixed(2) : '';
}

function mergeCodes(runs: CheckoutRun[]): Record<string, number> {
  const all: Record<string, number> = {};
  for (const run of runs)
    for (const [code, n] of Object.entries(run.codes)) all[code] = (all[code] ?? 0) + n;
  return all;
}

/**
 * Measures orders/s with no contention (each checkout buys another product)
 * and with contention (every checkout buys one hot product, stock topped up
 * so it never runs out), API and raw mysql2 interleaved per round; then sells
 * a hot product out, once per target, and checks the count. Returns the
 * markdown for docs/benchmarks.md.
 */
export async function runCheckoutBench(options: CheckoutBenchOptions): Promise<string> {
  const { pool, log } = options;
  const world = await prepareCheckout(pool, options.spread);
  let turn = 0;
  const scenarios = [
    {
      name: 'many products (no contention)',
      note: `${options.spread} products in turn`,
      stocked: world.spread,
      product: () => world.spread[turn++ % world.spread.length]!,
    },
    {
      name: 'one hot product (contention)',
      note: 'every checkout takes the same row',
      stocked: [world.hot],
      product: () => world.hot,
    },
  ];
  const targets = [options.raw, options.api];
  const run = async (scenario: (typeof scenarios)[number], target: CheckoutTarget, s: number) => {
    await setStock(pool, scenario.stocked, PLENTY);
    const measured = await measureCheckout(target, world, scenario.product, {
      duration: s,
      connections: options.connections,
    });
    await settle();
    return measured;
  };

  log(`Warming up checkout (${scenarios.length * targets.length} runs, ${WARM_UP_S} s each)...\n`);
  for (const scenario of scenarios)
    for (const target of targets) await run(scenario, target, WARM_UP_S);

  const results = new Map<string, CheckoutRun[]>();
  for (let round = 1; round <= options.rounds; round++) {
    for (const scenario of scenarios) {
      for (const target of targets) {
        log(`round ${round}/${options.rounds}: checkout, ${scenario.name}, ${target.name}... `);
        const measured = await run(scenario, target, options.duration);
        log(`${Math.round(measured.ordersPerSecond)} orders/s\n`);
        const key = `${scenario.name}|${target.name}`;
        results.set(key, [...(results.get(key) ?? []), measured]);
      }
    }
  }

  const rows: string[] = [];
  const ratios = new Map<string, number>();
  for (const scenario of scenarios) {
    const rawRate = mean(
      results.get(`${scenario.name}|${options.raw.name}`)!.map((r) => r.ordersPerSecond),
    );
    for (const target of targets) {
      const runs = results.get(`${scenario.name}|${target.name}`)!;
      const rate = mean(runs.map((r) => r.ordersPerSecond));
      const ratio = target === options.raw ? '' : (rate / rawRate).toFixed(2);
      if (target === options.api) ratios.set(scenario.name, rate / rawRate);
      const cells = [
        `${target.name}: ${scenario.name}, ${scenario.note}`,
        Math.round(rate),
        ratio,
        mean(runs.map((r) => r.p50)).toFixed(1),
        mean(runs.map((r) => r.p99)).toFixed(1),
        cpu(runs),
        runs.reduce((n, r) => n + r.orders, 0),
        describeCodes(mergeCodes(runs)),
      ];
      rows.push(`| ${cells.join(' | ')} |`);
    }
  }

  // The sell-out: the hot product with a few units, many carts racing for the last ones.
  const sellOutRows: string[] = [];
  let onlyStockRefusals = true;
  let sellOutsExact = true;
  for (const target of targets) {
    log(`checkout sell-out of ${options.sellOut} units, ${target.name}... `);
    await setStock(pool, [world.hot], options.sellOut);
    const before = await unitsOrdered(pool, world.hot);
    const measured = await measureCheckout(target, world, () => world.hot, {
      duration: options.sellOutCap,
      connections: options.connections,
      until: async () => (await stockOf(pool, world.hot)) === 0,
    });
    await settle();
    const sold = (await unitsOrdered(pool, world.hot)) - before;
    const left = await stockOf(pool, world.hot);
    const exact = sold === options.sellOut && left === 0;
    const clean = onlyOutOfStock(measured.codes);
    onlyStockRefusals &&= clean;
    sellOutsExact &&= exact;
    log(`${sold} sold (${measured.orders} answered 201), ${left} left\n`);
    sellOutRows.push(
      `| ${target.name} | ${sold} | ${left} | ${exact ? 'yes' : '**no**'} | ${describeCodes(measured.codes)} | ${clean ? 'yes' : '**no**'} |`,
    );
  }
  for (const target of targets) {
    const runs = results.get(`${scenarios[1]!.name}|${target.name}`)!;
    onlyStockRefusals &&= onlyOutOfStock(mergeCodes(runs));
  }

  const spreadRatio = ratios.get(scenarios[0]!.name)!;
  return [
    '| checkout | orders/s | × raw mysql2 orders/s | place p50 ms | place p99 ms | process CPU ms per order | orders | refusals and errors |',
    '| --- | --: | --: | --: | --: | --: | --: | --- |',
    ...rows,
    '',
    `Sell-out: the hot product put on sale with ${options.sellOut} units, then the same loop until its stock reads 0 and a second more (at most ${options.sellOutCap} s; once per target, after the rounds).`,
    '',
    '| sell-out | units sold | stock after | sold = units, none left | refusals and errors | only OUT_OF_STOCK |',
    '| --- | --: | --: | --- | --- | --- |',
    ...sellOutRows,
    '',
    `- without contention the API places ${spreadRatio.toFixed(2)}× the orders/s of raw mysql2 (aim: at least 0.5×): **${spreadRatio >= 0.5 ? 'met' : 'missed'}**`,
    `- under contention (hot product and sell-outs), errors other than \`OUT_OF_STOCK\`: **${onlyStockRefusals ? 'none (met)' : 'some (missed)'}**`,
    `- every sell-out sold exactly its units and left none: **${sellOutsExact ? 'yes' : 'no'}**`,
  ].join('\n');
}
