import mysql from 'mysql2/promise';

import type { Database } from './client';
import type { Rows } from './rows';

/**
 * The product search on a search engine of its own (docs/architecture.md,
 * "Search"): Manticore Search, or Sphinx 2.2 (Debian's `sphinxsearch`), both
 * spoken to in SphinxQL over the MySQL protocol, so mysql2 is the client.
 * Optional: with `SEARCH_ENGINE_URL` set, a search of words asks the engine
 * for the page's ids and the exact total, and the products are read from
 * the database by id as on the Mroonga path.
 *
 * The engine is fed from the database, never written by the API directly:
 * triggers on `products` queue the id of every product whose searched
 * columns change (`product_search_queue`, in the writing transaction, so a
 * rolled-back write queues nothing), and `feed` takes the queue in order,
 * reads those products as committed and writes them to the engine. Writes
 * from anywhere (the API, an import, a hand-run UPDATE) reach it alike. One
 * feeder at a time per database (a named lock); the API feeds every 250 ms
 * and right after its own product writes, so a writer reads its own write.
 */
export const SEARCH_QUEUE_TABLE = 'product_search_queue';

/**
 * `sphinxql://host:port/index[?shards=N]`: where the engine listens (its
 * MySQL-protocol port), the index searched, and in how many real-time
 * indexes its products are kept (`shards`, 1 unless told).
 */
export interface SearchEngineAddress {
  host: string;
  port: number;
  index: string;
  shards: number;
}

/**
 * Most shards an index may be split into: past the engine's cores a search
 * only queues for them (docs/architecture.md, "Shards").
 */
export const MAX_SEARCH_SHARDS = 16;

export function parseSearchEngineUrl(url: string): SearchEngineAddress {
  const parsed = new URL(url);
  if (parsed.protocol !== 'sphinxql:') throw new Error('expected sphinxql://host:port/index');
  const index = parsed.pathname.replace(/^\//, '') || 'products';
  if (!/^[a-z_][a-z0-9_]*$/i.test(index))
    throw new Error('expected an index name of letters, digits and _');
  const unknown = [...parsed.searchParams.keys()].filter((key) => key !== 'shards');
  if (unknown.length > 0) throw new Error(`unknown option ${unknown[0]} (only shards)`);
  const shards = Number(parsed.searchParams.get('shards') ?? 1);
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SEARCH_SHARDS)
    throw new Error(`expected shards to be a whole number from 1 to ${MAX_SEARCH_SHARDS}`);
  return { host: parsed.hostname, port: Number(parsed.port || 9306), index, shards };
}

/**
 * The real-time indexes the products are written to: the index itself, or
 * with shards `<index>_0` ... `<index>_<N-1>` behind it (a distributed index
 * of that name, which searches them all at once). A product lives in shard
 * `id % N`, so its writes and deletes go to one index, and always the same.
 */
export const shardIndexes = ({ index, shards }: Pick<SearchEngineAddress, 'index' | 'shards'>) =>
  shards === 1 ? [index] : Array.from({ length: shards }, (_, shard) => `${index}_${shard}`);

/**
 * The engine's index, as `searchd` reads it from its configuration (the
 * same text for Manticore and Sphinx 2.2). `name` and `description` are the
 * text; `category` holds `cat<id>`, so the products of a category can be
 * found by words too (a search naming a category reads them apart);
 * prices in cents, times in milliseconds. Words split as the API splits a
 * search (letters and digits of every script, case and accents folded),
 * and a letter next to a digit starts a new word when fed (`engineText`).
 */
export function searchIndexConfig(index: string, dataDir: string, shards = 1): string {
  const parts = shardIndexes({ index, shards });
  const realTime = parts.map((part) => realTimeIndexConfig(part, `${dataDir}/${part}`)).join('\n');
  if (shards === 1) return realTime;
  return `${realTime}
index ${index}
{
  type = distributed
${parts.map((part) => `  local = ${part}`).join('\n')}
}
`;
}

function realTimeIndexConfig(index: string, path: string): string {
  return `index ${index}
{
  type = rt
  path = ${path}
  rt_field = name
  rt_field = description
  rt_field = category
  rt_attr_bigint = price_cents
  rt_attr_bigint = category_id
  rt_attr_uint = is_active
  rt_attr_bigint = created_at
  rt_mem_limit = 64M
  dict = keywords
  min_prefix_len = 1
  charset_table = ${CHARSET_TABLE}
}
`;
}

const hex = (code: number) => `U+${code.toString(16).toUpperCase()}`;

/**
 * Which characters make words, and what each is read as: digits, and the
 * letters of the Latin (with its accented forms), Greek and Cyrillic
 * alphabets, lower-cased and, for Latin, without accents ("Café" is
 * "cafe"), as the database's collation compares them. Everything else
 * separates words. (Manticore's `non_cjk` says the same more widely; Sphinx
 * 2.2 has no such name.)
 */
const { CHARSET_TABLE, WORD_CHARACTERS } = (() => {
  const entries = ['0..9', 'A..Z->a..z', 'a..z'];
  const characters = new Set('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ');
  const ranges: Array<[number, number]> = [
    [0xc0, 0x24f], // Latin-1 Supplement, Latin Extended-A and -B
    [0x386, 0x3ce], // Greek
    [0x400, 0x45f], // Cyrillic
  ];
  for (const [from, to] of ranges) {
    for (let code = from; code <= to; code++) {
      const char = String.fromCodePoint(code);
      if (!/\p{L}/u.test(char)) continue;
      characters.add(char);
      const lower = char.toLowerCase();
      const base = lower.normalize('NFD')[0]!;
      const target = /[a-z]/.test(base) ? base : [...lower].length === 1 ? lower : char;
      entries.push(target === char ? hex(code) : `${hex(code)}->${hex(target.codePointAt(0)!)}`);
    }
  }
  return { CHARSET_TABLE: entries.join(', '), WORD_CHARACTERS: characters };
})();

/**
 * Whether the engine reads this word as the API does: every character one
 * the charset table makes words of. A word of other letters (Chinese,
 * Arabic, Devanagari, ...) would be no word at all to it, so such a search
 * goes to the database, whose Mroonga tokenizer reads every script.
 */
export const engineReadsWord = (word: string) =>
  [...word].every((char) => WORD_CHARACTERS.has(char));

/**
 * A whole `searchd` configuration: the index (in `shards` parts), and the
 * daemon listening on `port` (SphinxQL only). With shards it searches them
 * on as many threads at once (`dist_threads`: Sphinx 2.2's setting;
 * Manticore searches the parts of a distributed index in parallel by
 * itself, and splits one index over its cores too, `pseudo_sharding`).
 */
export function searchdConfig(options: {
  index: string;
  dataDir: string;
  port: number;
  host?: string;
  shards?: number;
}): string {
  const dir = options.dataDir.replace(/\/$/, '');
  const shards = options.shards ?? 1;
  return `${searchIndexConfig(options.index, dir, shards)}
searchd
{
  listen = ${options.host ?? '127.0.0.1'}:${options.port}:mysql41
  log = ${dir}/searchd.log
  query_log = ${dir}/query.log
  pid_file = ${dir}/searchd.pid
  binlog_path = ${dir}${shards > 1 ? `\n  dist_threads = ${shards}` : ''}
}
`;
}

/** A letter followed by a digit, or a digit by a letter: "USB3" is fed as "USB 3" (two words). */
const LETTER_DIGIT = /(\p{L})(?=\p{N})|(\p{N})(?=\p{L})/gu;
export const engineText = (text: string | null) =>
  (text ?? '').replace(LETTER_DIGIT, (_, letter?: string, digit?: string) => `${letter ?? digit} `);

type Queryable = Pick<mysql.Connection, 'query'>;

const TRIGGERED_COLUMNS = [
  'name',
  'description',
  'price',
  'category_id',
  'is_active',
  'created_at',
];
const queue = (row: 'NEW' | 'OLD') =>
  `INSERT INTO \`${SEARCH_QUEUE_TABLE}\` (\`product_id\`) VALUES (${row}.\`id\`)`;
const FEED_TRIGGERS = [
  `CREATE TRIGGER IF NOT EXISTS \`products_feed_insert\` AFTER INSERT ON \`products\` FOR EACH ROW ${queue('NEW')}`,
  // Stock moves (every sale) queue nothing: only what a search reads does.
  `CREATE TRIGGER IF NOT EXISTS \`products_feed_update\` AFTER UPDATE ON \`products\` FOR EACH ROW
IF NOT (${TRIGGERED_COLUMNS.map((column) => `BINARY NEW.\`${column}\` <=> BINARY OLD.\`${column}\``).join(' AND ')}) THEN
  ${queue('NEW')};
END IF`,
  `CREATE TRIGGER IF NOT EXISTS \`products_feed_delete\` AFTER DELETE ON \`products\` FOR EACH ROW ${queue('OLD')}`,
];

/** Makes the queue and its triggers (idempotent). */
export async function ensureSearchQueue(connection: Queryable): Promise<void> {
  await connection.query(`CREATE TABLE IF NOT EXISTS \`${SEARCH_QUEUE_TABLE}\` (
  \`seq\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  \`product_id\` BIGINT UNSIGNED NOT NULL,
  \`queued_at\` TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB`);
  for (const trigger of FEED_TRIGGERS) await connection.query(trigger);
}

/** A product as the engine holds it. */
interface FedRow {
  id: number;
  name: string;
  description: string | null;
  price_cents: number | string;
  category_id: number;
  is_active: number;
  created_ms: number | string;
}

const PRODUCT_COLUMNS =
  '`id`, `name`, `description`, ROUND(`price` * 100) AS `price_cents`, `category_id`, `is_active`, ' +
  'CAST(UNIX_TIMESTAMP(`created_at`) * 1000 AS UNSIGNED) AS `created_ms`';

/** Products read and written per round of the feed and of a fill. */
const BATCH = 1000;

export interface SearchEngine {
  address: SearchEngineAddress;
  /** SphinxQL connections (multiple statements: a page and its `SHOW META`). */
  pool: mysql.Pool;
  /**
   * Takes the whole queue into the engine now. Waits for a feed already
   * running elsewhere (up to `waitSeconds`, then returns false) rather than
   * skipping it, so a writer that feeds reads its own write afterwards.
   */
  feed(waitSeconds?: number): Promise<boolean>;
  /**
   * Rewrites the whole index from `products` (an empty or damaged index) in
   * place, removes what the catalog no longer holds, then feeds.
   */
  fill(): Promise<void>;
  /**
   * The queue as it stands: its entries, and how long the oldest has waited
   * (0 when empty). A feed that keeps up leaves it empty within a tick.
   */
  backlog(): Promise<{ entries: number; oldestSeconds: number }>;
  /** Products the index holds (a full scan of the attributes: for a start, not for probes). */
  count(): Promise<number>;
  /** Resolves when the engine answers (a readiness probe). */
  ping(): Promise<void>;
  /** Whether searches ask it: once it holds the catalog (filled, or found full at start). */
  ready: boolean;
  /**
   * Whether to ask it now: ready, and no search or feed failed on it in
   * the last `retryAfterMs` (meanwhile searches go straight to the
   * database and writes stay queued, so a dead or unreachable engine costs
   * one search or write in each window its timeout, not every one, and
   * one warning). After a failure, not until a feed tick has found it the
   * same process it was: one that restarted may have lost its index, and is
   * checked and filled again as at start.
   */
  searchable(): boolean;
  /** A search or a feed failed on it: told to `onError`, and it is left alone for `retryAfterMs`. */
  failed(error: unknown, during: 'feed' | 'search'): void;
  /** Settles when the first fill or feed has (`ready`, or the failure told to `onError`). */
  started: Promise<void>;
  /** Once the feed or fill under way has stopped (at its next batch: the rest stays queued). */
  close(): Promise<void>;
}

/** The engine a database handle's searches go to (`useSearchEngine`), if any. */
const engines = new WeakMap<Database, SearchEngine>();
export const useSearchEngine = (db: Database, engine: SearchEngine) => engines.set(db, engine);
export const searchEngineOf = (db: Database) => engines.get(db);

/** After a product write through `db`: the engine has it before this returns (when there is one). */
export async function feedSearchEngine(db: Database): Promise<void> {
  const engine = engines.get(db);
  if (!engine?.searchable()) return;
  // The write is committed and queued whatever happens here: a failed feed is told, and retried.
  await engine.feed().catch((error: unknown) => engine.failed(error, 'feed'));
}

export interface OpenSearchEngineOptions {
  /** The primary's pool: the queue and the products are read there. */
  primary: mysql.Pool;
  url: string;
  /** Told of a feed or fill that failed (it is tried again on the next tick). */
  onError?: (error: unknown, during: 'feed' | 'fill' | 'search') => void;
  /** False: neither fill nor feed until asked (`search:rebuild` fills it itself). Default true. */
  start?: boolean;
  /** How often the queue is taken without being asked (ms). */
  feedEveryMs?: number;
  /** After a failed search, feed or start, how long before the engine is tried again (ms); default 5 s. */
  retryAfterMs?: number;
}

/**
 * Connects to the engine, makes the queue, and fills an empty index in the
 * background (searches stay on the database until it is full: `ready`).
 */
export async function openSearchEngine(options: OpenSearchEngineOptions): Promise<SearchEngine> {
  const address = parseSearchEngineUrl(options.url);
  const pool = mysql.createPool({
    host: address.host,
    port: address.port,
    connectionLimit: 10,
    multipleStatements: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
    connectTimeout: 2_000,
  });
  const { primary } = options;
  const index = `\`${address.index}\``;
  const [[database]] = await primary.query<Rows<{ name: string }>>('SELECT DATABASE() AS name');
  // Named locks are the server's, not the database's: one per database.
  const lockName = `${database!.name}.search_feed`;

  const parts = shardIndexes(address);
  /** Each product's shard: `id % shards`. */
  const byShard = <T>(items: T[], idOf: (item: T) => number) => {
    const shards = parts.map(() => [] as T[]);
    for (const item of items) shards[idOf(item) % parts.length]!.push(item);
    return shards;
  };
  const writeShard = async (part: string, rows: FedRow[], gone: number[]) => {
    if (rows.length > 0) {
      const values = rows.map(
        (row) =>
          `(${Number(row.id)}, ${pool.escape(engineText(row.name))}, ${pool.escape(engineText(row.description))}, ` +
          `'cat${Number(row.category_id)}', ${Number(row.price_cents)}, ${Number(row.category_id)}, ` +
          `${Number(row.is_active)}, ${Number(row.created_ms)})`,
      );
      await pool.query(
        `REPLACE INTO \`${part}\` (id, name, description, category, price_cents, category_id, is_active, created_at) VALUES ${values.join(', ')}`,
      );
    }
    if (gone.length > 0)
      await pool.query(`DELETE FROM \`${part}\` WHERE id IN (${gone.join(', ')})`);
  };
  const write = async (rows: FedRow[], gone: number[]) => {
    const rowsOf = byShard(rows, (row) => Number(row.id));
    const goneOf = byShard(gone, (id) => id);
    await Promise.all(parts.map((part, shard) => writeShard(part, rowsOf[shard]!, goneOf[shard]!)));
  };

  /** That the engine serves the index as the URL says: one real-time index, or its shards behind a distributed one. */
  const checkIndexes = async () => {
    const [tables] = await pool.query<Rows<{ Index: string; Type: string }>>('SHOW TABLES');
    const types = new Map(tables.map((table) => [table.Index, table.Type]));
    const expected = new Map(parts.map((part) => [part, 'rt']));
    if (parts.length > 1) expected.set(address.index, 'distributed');
    for (const [name, type] of expected) {
      if (types.get(name) !== type)
        throw new Error(
          `the search engine has no ${type === 'rt' ? 'real-time' : type} index ${name}` +
            ` (${options.url} asks for ${parts.length === 1 ? 'one index' : `${parts.length} shards`}):` +
            ' its configuration and SEARCH_ENGINE_URL must agree (searchdConfig)',
        );
    }
  };

  // Closing waits for the feed or fill under way, which stops at its next
  // batch: what it had not taken stays queued, or the index stays short and
  // the next start fills it.
  let closing = false;
  const running = new Set<Promise<boolean>>();
  const stopIfClosing = () => {
    if (closing) throw new Error('the search engine was closed');
  };

  /** Runs `work` holding the feed lock on one primary connection; false when it was not had in time (or the engine is closing). */
  const locked = (waitSeconds: number, work: (db: mysql.PoolConnection) => Promise<void>) => {
    if (closing) return Promise.resolve(false);
    const held = holdingLock(waitSeconds, work);
    const done = () => running.delete(held);
    running.add(held);
    held.then(done, done);
    return held;
  };
  const holdingLock = async (
    waitSeconds: number,
    work: (db: mysql.PoolConnection) => Promise<void>,
  ) => {
    const connection = await primary.getConnection();
    try {
      const [[lock]] = await connection.query<Rows<{ got: number | null }>>(
        'SELECT GET_LOCK(?, ?) AS got',
        [lockName, waitSeconds],
      );
      if (lock?.got !== 1) return false;
      try {
        await work(connection);
      } finally {
        await connection.query('DO RELEASE_LOCK(?)', [lockName]);
      }
      return true;
    } finally {
      connection.release();
    }
  };

  const drain = async (db: mysql.PoolConnection) => {
    while (!closing) {
      const [queued] = await db.query<Rows<{ seq: number; product_id: number }>>(
        `SELECT \`seq\`, \`product_id\` FROM \`${SEARCH_QUEUE_TABLE}\` ORDER BY \`seq\` LIMIT ${BATCH}`,
      );
      if (queued.length === 0) return;
      const ids = [...new Set(queued.map((entry) => Number(entry.product_id)))];
      const [rows] = await db.query<Rows<FedRow>>(
        `SELECT ${PRODUCT_COLUMNS} FROM \`products\` WHERE \`id\` IN (?)`,
        [ids],
      );
      const present = new Set(rows.map((row) => Number(row.id)));
      await write(
        rows,
        ids.filter((id) => !present.has(id)),
      );
      // Exactly the entries taken: one written meanwhile under a lower number
      // (committed late) is still there for the next round.
      await db.query(`DELETE FROM \`${SEARCH_QUEUE_TABLE}\` WHERE \`seq\` IN (?)`, [
        queued.map((entry) => entry.seq),
      ]);
    }
  };

  const count = async () => {
    const [results] = await pool.query<Rows<{ Variable_name: string; Value: string }>[]>(
      `SELECT id FROM ${index} LIMIT 1; SHOW META LIKE 'total_found'`,
    );
    return Number(results[1]?.[0]?.Value ?? 0);
  };

  /**
   * One connection held open to the engine from a start on, asked at each
   * tick: a process that restarted has closed it. An engine that restarted
   * may have come back without its index (a volume lost or replaced), and
   * the feed would only add what changed since, so a closed watch sends
   * searches back to the database until the engine is checked again as at
   * start (the index counted against the catalog, filled if short). A
   * connection lost for another reason costs one such check.
   */
  let watch: { connection: Promise<mysql.Connection>; lost?: unknown } | undefined;
  const openWatch = async () => {
    const opened: NonNullable<typeof watch> = {
      connection: mysql.createConnection({
        host: address.host,
        port: address.port,
        connectTimeout: 2_000,
      }),
    };
    watch = opened;
    // Closed while idle (the engine stopped): the next tick finds it lost.
    (await opened.connection).on('error', (error: unknown) => (opened.lost ??= error));
  };
  const closeWatch = async () => {
    const closed = watch;
    watch = undefined;
    await closed?.connection.then((connection) => connection.destroy()).catch(() => undefined);
  };
  /** Why the engine may not be the process the last start checked (its watch lost), or undefined. */
  const lostSinceStart = async (): Promise<unknown> => {
    const current = watch;
    if (!current) return new Error('the search engine was not watched');
    if (current.lost === undefined) {
      try {
        await (await current.connection).query("SHOW STATUS LIKE 'uptime'");
        return undefined;
      } catch (error) {
        current.lost ??= error;
      }
    }
    await closeWatch();
    return current.lost;
  };

  /** Rewrites the index from `products` in place (`fill`), holding the feed lock on `db`. */
  const rewrite = async (db: mysql.PoolConnection) => {
    // Rewritten in place, never emptied first: searches meanwhile see
    // every product, some as they were until their batch comes.
    let last = 0;
    for (;;) {
      const [rows] = await db.query<Rows<FedRow>>(
        `SELECT ${PRODUCT_COLUMNS} FROM \`products\` WHERE \`id\` > ? ORDER BY \`id\` LIMIT ${BATCH}`,
        [last],
      );
      if (rows.length === 0) break;
      stopIfClosing();
      await write(rows, []);
      last = Number(rows.at(-1)!.id);
    }
    // Then what the index holds that the catalog does not (gone while it was away).
    for (let after = 0; ;) {
      const [held] = await pool.query<Rows<{ id: number }>>(
        `SELECT id FROM ${index} WHERE id > ${after} ORDER BY id ASC LIMIT ${BATCH} OPTION max_matches=${BATCH}`,
      );
      if (held.length === 0) break;
      stopIfClosing();
      const ids = held.map((row) => Number(row.id));
      const [present] = await db.query<Rows<{ id: number }>>(
        'SELECT `id` FROM `products` WHERE `id` IN (?)',
        [ids],
      );
      const kept = new Set(present.map((row) => Number(row.id)));
      await write(
        [],
        ids.filter((id) => !kept.has(id)),
      );
      after = ids.at(-1)!;
    }
    // What the queue held is in the index now; what came after the rows were read stays queued.
    await drain(db);
    // The fill left several disk chunks; one searches faster. Sphinx merges
    // them in the background on this (Manticore does it of itself).
    for (const part of parts) await pool.query(`OPTIMIZE INDEX \`${part}\``);
  };
  /** Runs `work` holding the feed lock, waiting up to a minute for a fill or feed under way elsewhere. */
  const holdingFeedLock = async (work: (db: mysql.PoolConnection) => Promise<void>) => {
    if (!(await locked(60, work))) {
      stopIfClosing();
      throw new Error('the search feed lock was held for over a minute');
    }
  };
  /** Whether the index holds fewer products than the catalog (new, or its data lost). */
  const short = async (db: Queryable) => {
    const [[products]] = await db.query<Rows<{ n: number }>>(
      'SELECT COUNT(*) AS n FROM `products`',
    );
    return (await count()) < Number(products!.n);
  };

  const onError = options.onError ?? (() => undefined);
  // Set once started (`start: false` never starts it).
  let timer: NodeJS.Timeout | undefined = undefined;
  const retryAfterMs = options.retryAfterMs ?? 5_000;
  let downUntil = 0;
  // Set by a failure, cleared by a tick that finds the engine's process as it was.
  let unverified = false;
  const engine: SearchEngine = {
    address,
    pool,
    ready: false,
    searchable: () => engine.ready && !unverified && Date.now() >= downUntil,
    failed: (error, during) => {
      downUntil = Date.now() + retryAfterMs;
      unverified = true;
      onError(error, during);
    },
    started: Promise.resolve(),
    count,
    async backlog() {
      const [[queue]] = await primary.query<Rows<{ entries: number; oldest_ms: number | null }>>(
        `SELECT COUNT(*) AS entries, TIMESTAMPDIFF(MICROSECOND, MIN(\`queued_at\`), NOW(3)) DIV 1000 AS oldest_ms FROM \`${SEARCH_QUEUE_TABLE}\``,
      );
      return {
        entries: Number(queue!.entries),
        oldestSeconds: Math.max(0, Number(queue!.oldest_ms ?? 0)) / 1000,
      };
    },
    ping: async () => {
      await pool.query("SHOW STATUS LIKE 'uptime'");
    },
    feed: (waitSeconds = 10) => locked(waitSeconds, drain),
    async fill() {
      await checkIndexes();
      await holdingFeedLock(rewrite);
    },
    close: async () => {
      closing = true;
      clearInterval(timer);
      await Promise.allSettled([starting, ticking, ...running]);
      await Promise.all([pool.end(), closeWatch()]);
    },
  };

  await ensureSearchQueue(primary);
  let starting: Promise<void> | undefined;
  let retryAt = 0;
  /** Fills an index holding fewer products than the catalog (new, or its data lost), else feeds. */
  const start = () =>
    (starting ??= (async () => {
      await checkIndexes();
      await closeWatch();
      await openWatch();
      // Asked again once the lock is had: another instance may have filled it meanwhile.
      if (await short(primary))
        await holdingFeedLock(async (db) => ((await short(db)) ? rewrite(db) : drain(db)));
      else if (!(await engine.feed())) throw new Error('the search feed lock was not had in time');
      unverified = false;
      engine.ready = true;
    })().catch((error: unknown) => {
      starting = undefined;
      retryAt = Date.now() + retryAfterMs;
      if (!closing) onError(error, 'fill');
    }));
  /** A filled engine's tick: the same process as at start (else checked again), then the queue. */
  const tick = async () => {
    const lost = await lostSinceStart();
    if (lost !== undefined) {
      engine.ready = false;
      starting = undefined;
      retryAt = 0;
      if (!closing) onError(lost, 'feed');
      return;
    }
    unverified = false;
    await engine.feed(0);
  };
  let ticking: Promise<void> | undefined;
  if (options.start === false) return engine;
  timer = setInterval(() => {
    if (!engine.ready) {
      if (Date.now() >= retryAt) void start();
    } else if (Date.now() >= downUntil && !ticking) {
      ticking = tick()
        .catch((error: unknown) => {
          if (!closing) engine.failed(error, 'feed');
        })
        .finally(() => (ticking = undefined));
    }
  }, options.feedEveryMs ?? 250);
  timer.unref();
  engine.started = start();
  return engine;
}
