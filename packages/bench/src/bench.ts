import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  createDatabase,
  migrateDatabase,
  openSearchEngine,
  type Rows,
  shardIndexes,
} from '@buybuy/db';
import { seedCatalog } from '@buybuy/db/seed';
import { startTestSearchd, type TestSearchd } from '@buybuy/db/testing';
import { createLocalImageStorage } from '@buybuy/images';
import autocannon from 'autocannon';

import { PLENTY } from './checkout';
import { runCheckoutBench } from './checkout-bench';

/**
 * `pnpm bench`: seeds `buybuy_bench` up to BENCH_PRODUCTS products, builds
 * the production server, starts it twice (catalog cache on, and off), starts
 * the bare-Fastify / raw-mysql2 baseline, and measures every scenario with
 * autocannon on loopback, round-robin, so drift on the machine hits them all
 * alike: the catalog reads, then the checkout (checkout-bench.ts).
 * BENCH_ONLY=catalog or BENCH_ONLY=checkout runs one of the two;
 * BENCH_ONLY=tracing only the uncached list pages with OpenTelemetry off and
 * on (a fourth server exporting to an OTLP sink here that discards). Prints
 * the tables and writes docs/benchmarks.md.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const env = process.env;
const DURATION = Number(env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(env.BENCH_ROUNDS ?? 2);
const PRODUCTS = Number(env.BENCH_PRODUCTS ?? 100_000);
const DATABASE_URL = env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/buybuy_bench';
const REDIS_URL = env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORTS = {
  cached: 4301,
  uncached: 4302,
  baseline: 4303,
  traced: 4304,
  unlimited: 4305,
  sqlSearch: 4306,
  engineSearch: 4307,
  shardedSearch: 4308,
};
/** The OTLP/HTTP sink the traced server exports to (OpenTelemetry's default port). */
const OTLP_PORT = Number(env.BENCH_OTLP_PORT ?? 4318);
const ONLY = env.BENCH_ONLY;
const PARTS = ['catalog', 'search', 'checkout', 'tracing'] as const;
if (ONLY !== undefined && !(PARTS as readonly string[]).includes(ONLY))
  throw new Error(`BENCH_ONLY is one of ${PARTS.join(', ')}, not "${ONLY}"`);
/** Every part but tracing when BENCH_ONLY is unset. */
const selected = (part: (typeof PARTS)[number]) =>
  ONLY === part || (ONLY === undefined && part !== 'tracing');
/**
 * Connections for the search rows: the pool's size (10), since at a million
 * products one substring scan takes seconds, and 50 queued callers would
 * time out (autocannon's 10 s) instead of measuring it. Both sides alike.
 */
const SEARCH_CONNECTIONS = Number(env.BENCH_SEARCH_CONNECTIONS ?? 10);
/** Words of the seeded catalog: a category's name, one word, two words, a feature, a word too short for the index. */
const SEARCH_TEXTS = ['headphones', 'wireless', 'oak table', 'battery', 'usb', 'go'];
/**
 * Shards of the second search engine's index (`?shards=N`, searched on N
 * threads), beside the first's one index: the machine's cores unless told.
 */
const SEARCH_SHARDS = Number(env.BENCH_SEARCH_SHARDS ?? os.availableParallelism());
/** Requests per text when each is timed alone. */
const SEARCH_SAMPLES = 5;
const CHECKOUT_PRODUCTS = Number(env.BENCH_CHECKOUT_PRODUCTS ?? 500);
const SELL_OUT = Number(env.BENCH_SELL_OUT ?? 200);
/**
 * Seconds of unmeasured load on a scenario's own URLs right before each of
 * its runs. Between two runs of one scenario the others run for minutes, so
 * its stored answers have expired (the TTL is 60 s, and they are served
 * expired for at most that long again): without it, each "cache hits" run
 * began with a refill of every URL at once (100 for the detail pages), a
 * cold start its p99 then showed, not hits.
 */
const RUN_WARMUP = 1;
/** How `pnpm start` and the Docker image run the server (apps/server/package.json). */
const NODE_FLAGS = ['--max-semi-space-size=32'];
const log = (line: string) => process.stderr.write(line);

interface Scenario {
  name: string;
  port: number;
  paths: string[];
  note: string;
  /** The raw mysql2 scenario sending the same SQL: the uncached API is compared with it. */
  versus?: string;
  /** Part of BENCH_ONLY=tracing (with the ceiling row the ratios need). */
  tracing?: boolean;
  /** Part of the search block (BENCH_ONLY=search), not of the catalog's. */
  search?: boolean;
  /** Connections, when not BENCH_CONNECTIONS. */
  connections?: number;
  /** Request headers (the admin's bearer token). */
  headers?: Record<string, string>;
}

const trpc = (procedure: string, input: unknown) =>
  `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;

/** Catalog data the scenarios ask for: real ids and categories from the seeded database. */
async function prepareDatabase(): Promise<{
  productIds: number[];
  categoryIds: number[];
  searchEngine: string;
}> {
  await migrateDatabase(DATABASE_URL);
  const handle = createDatabase(DATABASE_URL);
  try {
    await seedCatalog(handle.db, {
      products: PRODUCTS,
      // List pages carry a primary image, as in a real shop: drawn once per bench database
      // (one per distinct name, about 2 minutes of CPU for 100k products), never served here.
      images: createLocalImageStorage(
        join(os.tmpdir(), 'buybuy-bench-uploads'),
        'http://127.0.0.1/uploads',
      ),
      log,
    });
    const [products] = await handle.pool.query(
      'select id from products where is_active = 1 order by id limit 200',
    );
    const [categories] = await handle.pool.query('select id from categories order by id');
    const [searchTable] = await handle.pool.query(
      "select 1 from information_schema.TABLES where TABLE_SCHEMA = database() and TABLE_NAME = 'product_search' and ENGINE = 'Mroonga'",
    );
    return {
      productIds: (products as Array<{ id: number }>).map((row) => row.id),
      categoryIds: (categories as Array<{ id: number }>).map((row) => row.id),
      searchEngine:
        (searchTable as unknown[]).length > 0
          ? 'Mroonga index'
          : 'InnoDB FULLTEXT too (no Mroonga on this server)',
    };
  } finally {
    await handle.close();
  }
}

const RAW_LIST = "raw mysql2: list page, the API's SQL";
const RAW_PRICE = "raw mysql2: price-filtered page, the API's SQL";
const RAW_LIKE = 'raw mysql2: search by LIKE, as before the full-text index';
const RAW_DETAIL = "raw mysql2: product page, the API's SQL";
const RAW_ADMIN = "raw mysql2: admin list page, the API's SQL";

function scenarios(
  productIds: number[],
  categoryIds: number[],
  searchEngine: string,
  adminToken: string,
): Scenario[] {
  // The access token's claims: the raw admin page looks up the same session.
  const claims = JSON.parse(Buffer.from(adminToken.split('.')[1]!, 'base64url').toString()) as {
    sub: string;
    sid: string;
  };
  const list = '/v1/products?per_page=20';
  const priceList = '/v1/products?min_price=100&max_price=200&per_page=20';
  const details = productIds.slice(0, 100).map((id) => `/v1/products/${id}`);
  // A shopper's session: a few list pages with filters and sorts, the tree, product pages.
  const browse = [
    '/v1/categories',
    list,
    `/v1/products?category_id=${categoryIds[0]}&per_page=20`,
    `/v1/products?category_id=${categoryIds[3]}&sort=price_asc&per_page=20`,
    '/v1/products?page=2&per_page=20',
    priceList,
    ...productIds.slice(0, 6).map((id) => `/v1/products/${id}`),
    trpc('products.list', { per_page: 20, sort: 'name' }),
    trpc('products.list', { per_page: 20, in_stock: true }),
  ];
  const c = PORTS.cached;
  const u = PORTS.uncached;
  return [
    {
      name: 'ceiling: bare Fastify, fixed page',
      port: PORTS.baseline,
      paths: ['/fixed'],
      note: '',
    },
    {
      name: RAW_LIST,
      port: PORTS.baseline,
      paths: ['/raw'],
      note: 'tree, page, images, counter total',
    },
    { name: 'REST list, cache hits', port: c, paths: [list], note: '' },
    {
      name: 'REST list, cache hits, rate limits off',
      port: PORTS.unlimited,
      paths: [list],
      note: 'what counting costs',
    },
    {
      name: 'tRPC list, cache hits',
      port: c,
      paths: [trpc('products.list', { per_page: 20 })],
      note: '',
    },
    {
      name: 'REST list, cache off',
      port: u,
      paths: [list],
      note: '',
      versus: RAW_LIST,
      tracing: true,
    },
    {
      name: 'REST list, cache off, tracing on',
      port: PORTS.traced,
      paths: [list],
      note: 'OTLP to a sink that discards',
      versus: RAW_LIST,
      tracing: true,
    },
    {
      name: 'tRPC list, cache off',
      port: u,
      paths: [trpc('products.list', { per_page: 20 })],
      note: '',
      versus: RAW_LIST,
      tracing: true,
    },
    {
      name: 'tRPC list, cache off, tracing on',
      port: PORTS.traced,
      paths: [trpc('products.list', { per_page: 20 })],
      note: 'OTLP to a sink that discards',
      versus: RAW_LIST,
      tracing: true,
    },
    {
      name: RAW_PRICE,
      port: PORTS.baseline,
      paths: ['/raw-price'],
      note: 'COUNT(*) of the range',
    },
    {
      name: 'REST price-filtered list, cache off',
      port: u,
      paths: [priceList],
      note: '',
      versus: RAW_PRICE,
    },
    {
      name: 'raw mysql2: page + COUNT(*)',
      port: PORTS.baseline,
      paths: ['/raw-count'],
      note: 'how the list was counted before product_counts',
    },
    {
      // The machine's own noise: what the ceiling's p99 does run to run, for the cached rows' ratios.
      name: 'ceiling again',
      port: PORTS.baseline,
      paths: ['/fixed'],
      note: 'the same fixed page, measured later in each round',
    },
    { name: 'REST detail, cache hits', port: c, paths: details, note: '100 ids' },
    {
      name: RAW_DETAIL,
      port: PORTS.baseline,
      paths: productIds.slice(0, 100).map((id) => `/raw-detail/${id}`),
      note: 'product, tree, images; 100 ids',
    },
    {
      name: 'REST detail, cache off',
      port: u,
      paths: details,
      note: '100 ids',
      versus: RAW_DETAIL,
    },
    {
      name: RAW_ADMIN,
      port: PORTS.baseline,
      paths: [`/raw-admin?sid=${claims.sid}&uid=${claims.sub}`],
      note: "the admin's session, then no is_active condition; tree, page, images, counter total",
    },
    {
      name: 'REST admin list, cache off',
      port: u,
      paths: ['/v1/products?per_page=20&include_inactive=true'],
      note: 'a signed-in admin, inactive products included',
      versus: RAW_ADMIN,
      headers: { authorization: `Bearer ${adminToken}` },
    },
    { name: 'mixed browse, cache on', port: c, paths: browse, note: `${browse.length} URLs` },
    { name: 'mixed browse, cache off', port: u, paths: browse, note: `${browse.length} URLs` },
    ...searchScenarios(searchEngine),
  ];
}

/** Search, uncached: the full-text search on both faces against the substring scan it replaced. */
function searchScenarios(engine: string): Scenario[] {
  const texts = `${SEARCH_TEXTS.length} texts`;
  const restSearches = SEARCH_TEXTS.map(
    (text) => `/v1/products?search=${encodeURIComponent(text)}&per_page=20`,
  );
  const common = { search: true, connections: SEARCH_CONNECTIONS, versus: RAW_LIKE };
  return [
    {
      name: RAW_LIKE,
      port: PORTS.baseline,
      paths: SEARCH_TEXTS.map((text) => `/raw-like?q=${encodeURIComponent(text)}`),
      note: `name, description or category name; COUNT(*); ${texts}`,
      search: true,
      connections: SEARCH_CONNECTIONS,
    },
    {
      name: 'REST search, cache off, InnoDB FULLTEXT',
      port: PORTS.sqlSearch,
      paths: restSearches,
      note: `SEARCH_INDEX=false: the path before Mroonga, by relevance; ${texts}`,
      ...common,
    },
    {
      name: 'REST search, cache off',
      port: PORTS.uncached,
      paths: restSearches,
      note: `${engine}, by relevance; ${texts}`,
      ...common,
    },
    {
      name: 'tRPC search, cache off',
      port: PORTS.uncached,
      paths: SEARCH_TEXTS.map((text) => trpc('products.list', { search: text, per_page: 20 })),
      note: `${engine}, by relevance; ${texts}`,
      ...common,
    },
    ...(hasSearchd
      ? [
          {
            name: 'REST search, cache off, search engine',
            port: PORTS.engineSearch,
            paths: restSearches,
            note: `SEARCH_ENGINE_URL: ${SEARCHD_NAME}, by relevance; ${texts}`,
            ...common,
          },
          {
            name: 'tRPC search, cache off, search engine',
            port: PORTS.engineSearch,
            paths: SEARCH_TEXTS.map((text) =>
              trpc('products.list', { search: text, per_page: 20 }),
            ),
            note: `SEARCH_ENGINE_URL: ${SEARCHD_NAME}, by relevance; ${texts}`,
            ...common,
          },
        ]
      : []),
    ...(hasSearchd && SEARCH_SHARDS > 1
      ? [
          {
            name: `REST search, cache off, search engine in ${SEARCH_SHARDS} shards`,
            port: PORTS.shardedSearch,
            paths: restSearches,
            note: `SEARCH_ENGINE_URL …?shards=${SEARCH_SHARDS}: ${SEARCHD_NAME}, by relevance; ${texts}`,
            ...common,
          },
        ]
      : []),
  ];
}

/** Whether this machine has a searchd (Debian's `sphinxsearch`) for the search engine rows. */
const hasSearchd = spawnSync('searchd', ['--help']).error === undefined;
/** What `searchd --help` says it is (its first line). */
const SEARCHD_NAME = hasSearchd
  ? String(spawnSync('searchd', ['--help']).stdout)
      .split('\n')[0]!
      .trim()
  : '';
const searchds: TestSearchd[] = [];

/**
 * A searchd for a search engine server, its index in `shards` parts, filled
 * from the bench database before that server starts (about a minute at 1M
 * products), so it finds the index full and searches through it from its
 * first request.
 */
async function startSearchEngine(shards: number): Promise<string> {
  const searchd = await startTestSearchd({ shards });
  searchds.push(searchd);
  const handle = createDatabase(DATABASE_URL, { poolSize: 2 });
  const started = Date.now();
  log(`Filling the search engine (${SEARCHD_NAME}, ${shards} shard(s)) from the catalog... `);
  try {
    const engine = await openSearchEngine({
      primary: handle.pool,
      url: searchd.url,
      onError: (error) => {
        throw error;
      },
    });
    await engine.started;
    if (!engine.ready) throw new Error('the search engine was not filled');
    log(`${await engine.count()} products in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    // The fill's OPTIMIZE merges its disk chunks in the background: measured
    // before it ends, the first searches paid for the merge (a text took
    // 35 ms instead of 20). Wait until each part is one chunk (at most 3 min).
    for (const part of shardIndexes(engine.address)) {
      for (let waited = 0; ; waited += 500) {
        const [status] = await engine.pool.query<Rows<{ Variable_name: string; Value: string }>>(
          `SHOW INDEX ${part} STATUS`,
        );
        const chunks = Number(status.find((row) => row.Variable_name === 'disk_chunks')?.Value);
        if (chunks <= 1) break;
        if (waited >= 180_000) {
          log(` (${part} still in ${chunks} disk chunks after 3 min: measured unmerged)`);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    log(`, merged after ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    await engine.close();
  } finally {
    await handle.close();
  }
  return searchd.url;
}

function build() {
  log('Building the production server (pnpm --filter @buybuy/server build)...\n');
  const result = spawnSync('pnpm', ['--filter', '@buybuy/server', 'run', 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error('the server build failed');
}

const children: ChildProcess[] = [];
/** The process listening on each port, by role. */
const servers: Partial<Record<keyof typeof PORTS, ChildProcess>> = {};

function start(command: string, args: string[], extraEnv: Record<string, string>, cwd = root) {
  const child = spawn(command, args, {
    cwd,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

/** Until `url` answers 2xx (with `says` in its body, when given), for up to 30 s. */
async function waitFor(url: string, says?: string) {
  for (let attempt = 0; attempt < 150; attempt++) {
    try {
      const res = await fetch(url);
      if (res.ok && (says === undefined || (await res.text()).includes(says))) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`${url} did not answer within 30 s`);
}

async function startServers() {
  await startOtlpSink();
  const jwtSecret = randomBytes(32).toString('hex');
  const serverEnv = (
    port: number,
    cache: boolean,
    tracing = false,
    limits = false,
    searchIndex = true,
    searchEngineUrl = '',
  ) => ({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL,
    REDIS_URL,
    JWT_SECRET: jwtSecret,
    // Production needs one; emails wait in Redis (no worker runs during the bench).
    SMTP_URL: 'smtp://127.0.0.1:2525',
    // The cached server counts every call as production does (its budget
    // never runs out: every call comes from one address); the others leave
    // it out, so the uncached rows compare the API's SQL work with raw mysql2.
    RATE_LIMIT_ENABLED: String(limits),
    RATE_LIMIT_MAX: '1000000000',
    LOG_LEVEL: 'warn',
    CACHE_ENABLED: String(cache),
    SEARCH_INDEX: String(searchIndex),
    SEARCH_ENGINE_URL: searchEngineUrl,
    // The admin's access token (signInAdmin) outlives the whole bench.
    ACCESS_TOKEN_TTL_SECONDS: '86400',
    ...(tracing ? { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${OTLP_PORT}` } : {}),
  });
  const server = [...NODE_FLAGS, 'apps/server/dist/server.js'];
  servers.cached = start('node', server, serverEnv(PORTS.cached, true, false, true));
  servers.unlimited = start('node', server, serverEnv(PORTS.unlimited, true));
  servers.uncached = start('node', server, serverEnv(PORTS.uncached, false));
  servers.traced = start('node', server, serverEnv(PORTS.traced, false, true));
  // Searches through InnoDB FULLTEXT even where the Mroonga index exists: the path before it.
  servers.sqlSearch = start('node', server, serverEnv(PORTS.sqlSearch, false, false, false, false));
  const engineUrl = hasSearchd && selected('search') ? await startSearchEngine(1) : undefined;
  if (engineUrl)
    servers.engineSearch = start(
      'node',
      server,
      serverEnv(PORTS.engineSearch, false, false, false, true, engineUrl),
    );
  const shardedUrl =
    engineUrl && SEARCH_SHARDS > 1 ? await startSearchEngine(SEARCH_SHARDS) : undefined;
  if (shardedUrl)
    servers.shardedSearch = start(
      'node',
      server,
      serverEnv(PORTS.shardedSearch, false, false, false, true, shardedUrl),
    );
  // From this package, where tsx is installed; with the server's flags, so the
  // gap to raw mysql2 is what the API's layers cost, not a runtime setting.
  servers.baseline = start(
    'node',
    [...NODE_FLAGS, '--import', 'tsx', 'src/baseline.ts'],
    { DATABASE_URL, PORT: String(PORTS.baseline) },
    join(root, 'packages/bench'),
  );
  return Promise.all([
    waitFor(`http://127.0.0.1:${PORTS.cached}/ready`),
    waitFor(`http://127.0.0.1:${PORTS.uncached}/ready`),
    waitFor(`http://127.0.0.1:${PORTS.traced}/ready`),
    waitFor(`http://127.0.0.1:${PORTS.unlimited}/ready`),
    waitFor(`http://127.0.0.1:${PORTS.sqlSearch}/ready`),
    ...(engineUrl
      ? [waitFor(`http://127.0.0.1:${PORTS.engineSearch}/ready`, '"search_engine":"ok"')]
      : []),
    ...(shardedUrl
      ? [waitFor(`http://127.0.0.1:${PORTS.shardedSearch}/ready`, '"search_engine":"ok"')]
      : []),
    waitFor(`http://127.0.0.1:${PORTS.baseline}/fixed`),
  ]);
}

interface Measure {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function measure(scenario: Scenario, duration: number): Promise<Measure> {
  const result = await autocannon({
    url: `http://127.0.0.1:${scenario.port}`,
    connections: scenario.connections ?? CONNECTIONS,
    duration,
    requests: scenario.paths.map((path) => ({ method: 'GET', path })),
    ...(scenario.headers ? { headers: scenario.headers } : {}),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** The bench database's admin: a fixed password, since `admin:create` keeps an existing account's. */
const BENCH_ADMIN = {
  email: 'bench-admin@buybuy.dev',
  username: 'benchadmin',
  password: 'bench-admin-password',
};

/**
 * An admin of the bench database (`pnpm admin:create`, which promotes the
 * account when it exists), signed in on the uncached server: the admin
 * product list's bearer token.
 */
async function signInAdmin(): Promise<string> {
  const created = spawnSync(
    'pnpm',
    [
      '--silent',
      'admin:create',
      '--email',
      BENCH_ADMIN.email,
      '--username',
      BENCH_ADMIN.username,
      '--password',
      BENCH_ADMIN.password,
    ],
    { cwd: root, env: { ...env, DATABASE_URL }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (created.status !== 0) throw new Error(`pnpm admin:create failed (${created.status})`);
  const response = await fetch(`http://127.0.0.1:${PORTS.uncached}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: BENCH_ADMIN.email, password: BENCH_ADMIN.password }),
  });
  const body = (await response.json()) as { data?: { tokens?: { access_token?: string } } };
  const token = body.data?.tokens?.access_token;
  if (!response.ok || !token)
    throw new Error(`the bench admin could not sign in: ${response.status}`);
  return token;
}

/** The server's version and its InnoDB buffer pool: at a million products, whether the catalog fits in memory. */
async function mariadbVersion(): Promise<string> {
  const handle = createDatabase(DATABASE_URL);
  try {
    const [rows] = await handle.pool.query(
      'select version() as v, @@innodb_buffer_pool_size as pool',
    );
    const [row] = rows as Array<{ v: string; pool: number }>;
    return `${row?.v} (InnoDB buffer pool ${Math.round(Number(row?.pool) / 2 ** 20)} MiB)`;
  } finally {
    await handle.close();
  }
}

/**
 * What the first write to a fresh page of memory costs here, in µs: 64 MiB
 * (past glibc's largest mmap threshold, so the pages are newly mapped),
 * one byte a page, in a child process that gives the memory back. On some
 * VMs of this kind it is over 10 µs, and it weighs on every figure: Groonga
 * maps each search's result index afresh, and V8's scavenger copies into new
 * pages (docs/benchmarks.md, "Page faults on these VMs").
 */
function firstTouchMicros(): string {
  const script = `const pages = new Uint8Array(64 << 20);
const started = process.hrtime.bigint();
for (let i = 0; i < pages.length; i += 4096) pages[i] = 1;
console.log(Number(process.hrtime.bigint() - started) / (pages.length / 4096) / 1000);`;
  const runs = [0, 1, 2].map(() => {
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`first-touch probe failed: ${child.stderr}`);
    return Number(child.stdout);
  });
  return runs.sort((a, b) => a - b)[1]!.toFixed(2);
}

function machine(dbVersion: string) {
  const cpus = os.cpus();
  return [
    `- CPU: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown'} (nproc ${os.availableParallelism()})`,
    `- memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node ${process.version}, ${os.type()} ${os.release()}`,
    `- database: ${dbVersion}, Redis at ${REDIS_URL}; everything on this one machine, over loopback`,
    `- first write to a fresh page of memory: ${firstTouchMicros()} µs (median of 3, 64 MiB each)`,
    `- load average before the run: ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(', ')}`,
  ].join('\n');
}

/** What the OTLP sink received: the traced server's exports. */
const otlpReceived = { exports: 0, bytes: 0 };

/**
 * Stands in for an OpenTelemetry collector: reads each OTLP/HTTP export and
 * discards it, so the traced server pays for making, batching, encoding and
 * sending its spans and nothing else. Counts what arrives, to show that the
 * spans did leave.
 */
function startOtlpSink(): Promise<void> {
  const sink = createServer((request, response) => {
    request.on('data', (chunk: Buffer) => (otlpReceived.bytes += chunk.length));
    request.on('end', () => {
      otlpReceived.exports++;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  sink.unref();
  return new Promise((listening, fail) => {
    sink.once('error', (error) =>
      fail(
        new Error(
          `the OTLP sink cannot listen on port ${OTLP_PORT} (BENCH_OTLP_PORT): ${error.message}`,
        ),
      ),
    );
    sink.listen(OTLP_PORT, '127.0.0.1', () => listening());
  });
}

async function main() {
  const { productIds, categoryIds, searchEngine } = await prepareDatabase();
  build();
  const bundle = readFileSync(join(root, 'apps/server/dist/server.js'), 'utf8');
  const hasCache = bundle.includes('CACHE_ENABLED');
  const dbVersion = await mariadbVersion();
  const machineText = machine(dbVersion);
  await startServers();
  const all = scenarios(productIds, categoryIds, searchEngine, await signInAdmin());
  const ceiling = all[0]!;
  if (selected('catalog'))
    await benchCatalog(
      'catalog',
      all.filter((s) => !s.search),
      machineText,
      hasCache,
    );
  if (selected('tracing'))
    await benchCatalog(
      'tracing',
      [ceiling, ...all.filter((s) => s.tracing)],
      machineText,
      hasCache,
    );
  if (selected('search')) {
    const oneByOne = await searchLatencies();
    await benchCatalog('search', [ceiling, ...all.filter((s) => s.search)], machineText, hasCache, [
      oneByOne,
    ]);
  }
  if (selected('checkout')) await benchCheckout(machineText);
}

/**
 * Waits until MariaDB runs no statement but this one (at most 10 s): when a
 * run ends, the requests it left in flight go on (a slow scenario's queued
 * COUNT(*)s, seconds of them), and the next scenario would start on a busy
 * machine. Seen as a p99 of 4.5x the ceiling's for the cached detail pages,
 * which followed the slowest scenario; run alone they stayed at 4 ms.
 */
function settler() {
  const handle = createDatabase(DATABASE_URL, { poolSize: 1 });
  const settle = async () => {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const [rows] = await handle.pool.query(
        "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE COMMAND = 'Query' AND ID <> CONNECTION_ID()",
      );
      if (Number((rows as Array<{ n: number }>)[0]?.n) === 0) return;
      await new Promise((done) => setTimeout(done, 100));
    }
  };
  return { settle, close: () => handle.close() };
}

/** Measures `list` (the ceiling first) and writes its block: the catalog's, tracing's or search's. */
async function benchCatalog(
  part: 'catalog' | 'tracing' | 'search',
  list: Scenario[],
  machineText: string,
  hasCache: boolean,
  /** More tables for the block, after the main one. */
  extra: string[] = [],
) {
  log(`Warming up (${list.length} scenarios, 2 s each)...\n`);
  for (const scenario of list) await measure(scenario, 2);

  const results = new Map<string, Measure[]>(list.map((s) => [s.name, []]));
  const { settle, close } = settler();
  for (let round = 1; round <= ROUNDS; round++) {
    for (const scenario of list) {
      // Its own URLs first, unmeasured: a "cache hits" row measures hits.
      await measure(scenario, RUN_WARMUP);
      await settle();
      log(`round ${round}/${ROUNDS}: ${scenario.name}... `);
      const m = await measure(scenario, DURATION);
      log(`${Math.round(m.rps)} req/s\n`);
      results.get(scenario.name)!.push(m);
    }
  }
  await close();

  const summary = list.map((scenario) => {
    const runs = results.get(scenario.name)!;
    return {
      scenario,
      rps: mean(runs.map((r) => r.rps)),
      p50: mean(runs.map((r) => r.p50)),
      p99: mean(runs.map((r) => r.p99)),
      bad: runs.reduce((n, r) => n + r.non2xx + r.errors, 0),
    };
  });
  const ceiling = summary[0]!;
  const ceilingRuns = results.get(ceiling.scenario.name)!;
  /** The highest p99 of any round against the ceiling's in that same round: the mean can hide a spike. */
  const worstP99 = (runs: Measure[]) =>
    Math.max(...runs.map((run, round) => run.p99 / ceilingRuns[round]!.p99));
  /** The lowest round's rate against its baseline's in that same round: an aim held only on average shows. */
  const lowestVersus = (runs: Measure[], baseline: Measure[]) =>
    Math.min(...runs.map((run, round) => run.rps / baseline[round]!.rps));
  const byName = new Map(summary.map((s) => [s.scenario.name, s]));
  /** A ratio, or "—" when its baseline served nothing (the LIKE scan at 1M on a slow VM: every request past autocannon's timeout). */
  const ratio = (value: number, baseline: number) =>
    Number.isFinite(value / baseline) ? (value / baseline).toFixed(2) : '—';
  const rows = summary.map((s) => {
    const raw = s.scenario.versus ? byName.get(s.scenario.versus) : undefined;
    const cells = [
      `${s.scenario.name}${s.scenario.note ? ` (${s.scenario.note})` : ''}`,
      Math.round(s.rps),
      (s.rps / ceiling.rps).toFixed(2),
      s.p50.toFixed(1),
      s.p99.toFixed(1),
      (s.p99 / ceiling.p99).toFixed(1),
      worstP99(results.get(s.scenario.name)!).toFixed(1),
      raw ? ratio(s.rps, raw.rps) : '',
      raw
        ? ratio(lowestVersus(results.get(s.scenario.name)!, results.get(raw.scenario.name)!), 1)
        : '',
      s.bad,
    ];
    return `| ${cells.join(' | ')} |`;
  });
  const table = [
    '| scenario | req/s | × ceiling req/s | p50 ms | p99 ms | × ceiling p99 | worst round: × ceiling p99 | × raw mysql2 req/s | lowest round: × raw mysql2 | non-2xx + errors |',
    '| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |',
    ...rows,
  ].join('\n');
  const command = `${ONLY ? `BENCH_ONLY=${ONLY} ` : ''}BENCH_DURATION=${DURATION} BENCH_CONNECTIONS=${CONNECTIONS} BENCH_ROUNDS=${ROUNDS} BENCH_PRODUCTS=${PRODUCTS} pnpm bench`;
  const cacheNote = hasCache
    ? 'The "cache off" server is the same build with `CACHE_ENABLED=false`.'
    : 'This build has no catalog cache yet: "cache hits" and "cache off" measure the same code.';

  const searchNote = `The search rows use ${SEARCH_CONNECTIONS} connections (BENCH_SEARCH_CONNECTIONS; the ceiling row, ${CONNECTIONS}) and turn over the texts ${SEARCH_TEXTS.map((text) => `"${text}"`).join(', ')}; their "× raw mysql2" column is against the LIKE row.`;
  const tracingNote = `The "tracing on" server is the "cache off" one with \`OTEL_EXPORTER_OTLP_ENDPOINT\` set; its collector, a sink in the bench process, received ${otlpReceived.exports} OTLP exports (${(otlpReceived.bytes / 2 ** 20).toFixed(1)} MiB).`;
  const partNote = part === 'search' ? ` ${searchNote}` : ` ${tracingNote}`;
  process.stdout.write(`\n${table}\n\n${partNote}\n\n${machineText}\n`);
  // One block per catalog size, so the 1M run does not replace the 100k one;
  // tracing writes its own, search one per size.
  const size = `${PRODUCTS.toLocaleString('en')} products`;
  const [key, heading]: [string, string] = {
    catalog: [String(PRODUCTS), `### ${size}`],
    tracing: ['tracing', `### Tracing off and on, ${size}`],
    search: [`search-${PRODUCTS}`, `### Search, ${size}`],
  }[part] as [string, string];
  writeBlock(key, [
    heading,
    '',
    `Measured ${now()} UTC with \`${command}\`: ${PRODUCTS} products, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${DURATION} s per scenario (figures are the mean of the rounds). ${cacheNote}${partNote}`,
    '',
    table,
    '',
    ...extra.flatMap((more) => [more, '']),
    machineText,
  ]);
}

/**
 * Each search text on its own, one request at a time (the median of
 * SEARCH_SAMPLES after one to warm up): what a shopper waits for each
 * kind of text on an idle server, which the mixed rows above average away.
 */
async function searchLatencies(): Promise<string> {
  const timed = async (url: string) => {
    const started = performance.now();
    const response = await fetch(url);
    const body = (await response.json()) as { meta?: { pagination?: { total?: number } } };
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return { ms: performance.now() - started, total: body.meta?.pagination?.total };
  };
  const median = async (url: string) => {
    await timed(url);
    const runs = [];
    for (let i = 0; i < SEARCH_SAMPLES; i++) runs.push(await timed(url));
    runs.sort((a, b) => a.ms - b.ms);
    return runs[Math.floor(runs.length / 2)]!;
  };
  const rows: string[] = [];
  for (const text of SEARCH_TEXTS) {
    log(`one by one: "${text}"... `);
    const q = encodeURIComponent(text);
    const like = await median(`http://127.0.0.1:${PORTS.baseline}/raw-like?q=${q}`);
    const search = `/v1/products?search=${q}&per_page=20`;
    const fulltext = await median(`http://127.0.0.1:${PORTS.sqlSearch}${search}`);
    const api = await median(`http://127.0.0.1:${PORTS.uncached}${search}`);
    const engine = servers.engineSearch
      ? await median(`http://127.0.0.1:${PORTS.engineSearch}${search}`)
      : undefined;
    const sharded = servers.shardedSearch
      ? await median(`http://127.0.0.1:${PORTS.shardedSearch}${search}`)
      : undefined;
    log(
      `${Math.round(like.ms)} ms by LIKE, ${Math.round(fulltext.ms)} ms through InnoDB FULLTEXT, ${Math.round(api.ms)} ms by the API${engine ? `, ${Math.round(engine.ms)} ms through the search engine` : ''}${sharded ? `, ${Math.round(sharded.ms)} ms in ${SEARCH_SHARDS} shards` : ''}\n`,
    );
    const engineCells = engine
      ? ` ${engine.total ?? '?'} | ${engine.ms.toFixed(1)} | ${(like.ms / engine.ms).toFixed(1)} | ${(api.ms / engine.ms).toFixed(2)} |`
      : '';
    const shardedCells =
      engine && sharded
        ? ` ${sharded.total ?? '?'} | ${sharded.ms.toFixed(1)} | ${(engine.ms / sharded.ms).toFixed(2)} |`
        : '';
    rows.push(
      `| "${text}" | ${fulltext.total ?? '?'} | ${api.total ?? '?'} | ${like.ms.toFixed(1)} | ${fulltext.ms.toFixed(1)} | ${api.ms.toFixed(1)} | ${(like.ms / api.ms).toFixed(1)} | ${(fulltext.ms / api.ms).toFixed(1)} |${engineCells}${shardedCells}`,
    );
  }
  const engineHead = servers.engineSearch
    ? [
        ' found, search engine | search engine ms | search engine × LIKE | search engine × API |',
        ' --: | --: | --: | --: |',
      ]
    : ['', ''];
  const shardedHead =
    servers.engineSearch && servers.shardedSearch
      ? [
          ` found, ${SEARCH_SHARDS} shards | ${SEARCH_SHARDS} shards ms | ${SEARCH_SHARDS} shards × one index |`,
          ' --: | --: | --: |',
        ]
      : ['', ''];
  return [
    `One request at a time, the median of ${SEARCH_SAMPLES}: the REST search (cache off) per text, through InnoDB FULLTEXT (SEARCH_INDEX=false) and as the API runs it (the Mroonga index where the database has it), against the LIKE baseline${servers.engineSearch ? `; and through the search engine (SEARCH_ENGINE_URL, ${SEARCHD_NAME}), its "× API" the API's time over its own` : ''}${servers.shardedSearch ? `; and through a search engine whose index is in ${SEARCH_SHARDS} shards (\`?shards=${SEARCH_SHARDS}\`, searched on ${SEARCH_SHARDS} threads), its "× one index" the time through the one index over its own` : ''}.`,
    '',
    `| text | found, InnoDB FULLTEXT | found, API | LIKE ms | InnoDB FULLTEXT ms | API ms | × LIKE | × InnoDB FULLTEXT |${engineHead[0]}${shardedHead[0]}`,
    `| --- | --: | --: | --: | --: | --: | --: | --: |${engineHead[1]}${shardedHead[1]}`,
    ...rows,
  ].join('\n');
}

/** The checkout against its raw mysql2 baseline, on the server with the default (cached) settings. */
async function benchCheckout(machineText: string) {
  const handle = createDatabase(DATABASE_URL);
  const pressureBefore = cpuPressure();
  try {
    const results = await runCheckoutBench({
      pool: handle.pool,
      raw: {
        name: 'raw mysql2',
        port: PORTS.baseline,
        pid: servers.baseline?.pid,
        cartPath: '/raw/cart/items',
        orderPath: '/raw/orders',
      },
      api: {
        name: 'REST API',
        port: PORTS.cached,
        pid: servers.cached?.pid,
        cartPath: '/v1/cart/items',
        orderPath: '/v1/orders',
      },
      duration: DURATION,
      rounds: ROUNDS,
      connections: CONNECTIONS,
      spread: CHECKOUT_PRODUCTS,
      sellOut: SELL_OUT,
      sellOutCap: 120,
      log,
    });
    const command = `${ONLY ? `BENCH_ONLY=${ONLY} ` : ''}BENCH_DURATION=${DURATION} BENCH_CONNECTIONS=${CONNECTIONS} BENCH_ROUNDS=${ROUNDS} BENCH_CHECKOUT_PRODUCTS=${CHECKOUT_PRODUCTS} BENCH_SELL_OUT=${SELL_OUT} pnpm bench`;
    const pressure =
      pressureBefore === null
        ? ''
        : `\n- CPU pressure (share of the last 60 s in which some runnable task waited for a core, /proc/pressure/cpu): ${pressureBefore}% before the checkout runs, ${cpuPressure()}% after`;
    process.stdout.write(`\n${results}\n\n${machineText}${pressure}\n`);
    writeBlock('checkout', [
      `Measured ${now()} UTC with \`${command}\` (${PRODUCTS} products in the database): ${CONNECTIONS} connections, each looping "add one unit to a new guest cart, place the order", ${ROUNDS} interleaved rounds of ${DURATION} s per scenario (figures are the mean of the rounds; the orders column is their sum). Stock is topped up to ${PLENTY.toLocaleString('en')} before every run of the two scenarios, so neither sells out.`,
      '',
      results,
      '',
      machineText + pressure,
    ]);
  } finally {
    await handle.close();
  }
}

/** How busy the machine is: PSI's `some avg60` for the CPU (Linux 4.20+), or null where there is none. */
function cpuPressure(): number | null {
  if (!existsSync('/proc/pressure/cpu')) return null;
  const line = readFileSync('/proc/pressure/cpu', 'utf8');
  return Number(/avg60=([\d.]+)/.exec(line)?.[1] ?? NaN);
}

const now = () => new Date().toISOString().slice(0, 16).replace('T', ' ');

/**
 * Replaces one generated block of docs/benchmarks.md (between its markers),
 * keeping the prose around it. A new catalog block goes after the last
 * catalog block; a new checkout block at the end, under a "Checkout" heading.
 */
function writeBlock(key: string, lines: string[]) {
  const file = join(root, 'docs/benchmarks.md');
  const generated = [
    `<!-- bench:${key}:start (written by \`pnpm bench\`) -->`,
    '',
    ...lines,
    `<!-- bench:${key}:end -->`,
  ].join('\n');
  const text = readFileSync(file, 'utf8');
  const block = new RegExp(`<!-- bench:${key}:start[\\s\\S]*?<!-- bench:${key}:end -->`);
  const lastCatalogEnd = /<!-- bench:\d+:end -->(?![\s\S]*<!-- bench:\d+:end -->)/;
  let next: string;
  if (block.test(text)) next = text.replace(block, () => generated);
  else if (key === 'checkout') next = `${text.trimEnd()}\n\n## Checkout\n\n${generated}\n`;
  else if (lastCatalogEnd.test(text))
    next = text.replace(lastCatalogEnd, (last) => `${last}\n\n${generated}`);
  else next = `${text.trimEnd()}\n\n## Results\n\n${generated}\n`;
  writeFileSync(file, next);
  spawnSync('npx', ['prettier', '--write', file], { cwd: root, stdio: 'ignore' });
  log(`Wrote ${file}\n`);
}

const stopAll = () => {
  for (const child of children) child.kill('SIGTERM');
  for (const searchd of searchds) void searchd.stop();
};
process.on('SIGINT', () => {
  stopAll();
  process.exit(130);
});

try {
  await main();
} finally {
  stopAll();
}
