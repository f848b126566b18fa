import { type Database, preparedRows, SEARCH_TABLE } from '@buybuy/db';
import { sql } from 'drizzle-orm';

import type { ProductSort } from './schemas';

/**
 * A search page through the Mroonga index (`@buybuy/db`'s search-index.ts;
 * docs/architecture.md, "Search"): one statement asks Groonga, inside
 * MariaDB, for the page's product ids in order and the exact number of
 * matches (two at once where the text names a category); the products
 * themselves are then read from `products` by id.
 *
 * Words match as on the InnoDB path: every word of the text, as a word
 * prefix, in the name or the description (`MATCH ... AGAINST ('+lamp* +oak*'
 * IN BOOLEAN MODE)` there, `query("name || description", "lamp* oak*")`
 * here); a category named by the text adds its other products after them
 * (the split search). Groonga indexes every word, so short words and
 * stopwords ("tv", "the"), which the SQL path matches as substrings, are word
 * prefixes here like the rest. Ranking differs in its figures (Groonga
 * counts the words' occurrences, InnoDB weighs them by rarity), not in what
 * matches.
 */
export interface IndexedSearch {
  /** The text's words (letters and digits), lower-cased. */
  words: string[];
  activeOnly: boolean;
  /** The category filter (a subtree, the visible categories), or none. */
  categoryIds: number[] | undefined;
  /** Categories whose name holds the text: their other products follow the text's matches. */
  named: number[];
  minCents: bigint | undefined;
  maxCents: bigint | undefined;
  /** Every sort but `name`, which follows the database's collation and so stays in SQL. */
  sort: Exclude<ProductSort, 'name'>;
  offset: number;
  limit: number;
}

/** A match as an index lists it (Groonga, or the search engine): the product id and what the page is ordered by. */
export interface SearchHit {
  id: number;
  /** 0 where the page is not ordered by relevance, and in a named category's half. */
  score: number;
  created: number;
  cents: number;
}

/** Matches read up to some point, and how many there are in all. */
export interface SearchHits {
  total: number;
  hits: SearchHit[];
}

/**
 * A value in Groonga's command syntax (and its script syntax's strings):
 * double-quoted, with `"` and `\` escaped. The words are letters and
 * digits only (planSearch), and numbers are the API's own, so nothing a
 * caller typed can change a command; the quoting holds regardless.
 */
const quoted = (text: string) => `"${text.replace(/["\\]/g, '\\$&')}"`;

const SORT_KEYS: Record<IndexedSearch['sort'], string> = {
  relevance: '-_score,-created_at,-_key',
  newest: '-created_at,-_key',
  price_asc: 'price_cents,_key',
  price_desc: '-price_cents,-_key',
};

/** The order of the merged halves: the text's matches (score above 0) before the category's. */
const COMPARE: Record<IndexedSearch['sort'], (a: SearchHit, b: SearchHit) => number> = {
  relevance: (a, b) => b.score - a.score || b.created - a.created || b.id - a.id,
  newest: (a, b) => b.created - a.created || b.id - a.id,
  price_asc: (a, b) => a.cents - b.cents || a.id - b.id,
  price_desc: (a, b) => b.cents - a.cents || b.id - a.id,
};

/**
 * A search naming a category, read as two halves (the text's matches, and
 * the named categories' products that do not match it), each up to the
 * page's end: the page cut from their merge, and the two totals added.
 */
export function mergeHalves(first: SearchHits, second: SearchHits, search: IndexedSearch) {
  const merged = [...first.hits, ...second.hits].sort(COMPARE[search.sort]);
  return {
    ids: merged.slice(search.offset, search.offset + search.limit).map((hit) => hit.id),
    total: first.total + second.total,
  };
}

/**
 * A word as Groonga's query syntax reads it. Letters alone or digits alone
 * are one token: the word as a prefix (`lamp*`). A word of both ("usb3",
 * "4k") is several tokens to Groonga's tokenizer, which a prefix would not
 * find: it is matched as a phrase of them ("usb3" finds "USB3" and "usb 3").
 */
const term = (word: string) => (/^(?:\p{L}+|\p{N}+)$/u.test(word) ? `${word}*` : word);

/** One Groonga `select` of the search table: the matches in order, `limit` of them from `offset`. */
function selectCommand(filter: string, sort: string, offset: number, limit: number) {
  return [
    'select',
    SEARCH_TABLE,
    `--filter ${quoted(filter)}`,
    `--sort_keys ${quoted(sort)}`,
    '--output_columns "_key,_score,created_at,price_cents"',
    `--offset ${offset}`,
    `--limit ${limit}`,
    // Groonga's own result cache would keep stale pages after a write.
    '--cache no',
  ].join(' ');
}

/** The filters besides the text, as a Groonga script condition (`&& ...`), or ''. */
function otherConditions(search: IndexedSearch): string {
  const conditions: string[] = [];
  if (search.activeOnly) conditions.push('is_active == 1');
  if (search.categoryIds)
    conditions.push(`in_values(category_id, ${search.categoryIds.join(', ')})`);
  if (search.minCents !== undefined) conditions.push(`price_cents >= ${search.minCents}`);
  if (search.maxCents !== undefined) conditions.push(`price_cents <= ${search.maxCents}`);
  return conditions.map((condition) => ` && ${condition}`).join('');
}

/** One Groonga command, run inside MariaDB: its answer as text. */
const groongaStatement = preparedRows(
  (db) =>
    db
      .select({
        answer:
          sql<string>`CONVERT(mroonga_command(${sql.placeholder('command')}) USING utf8mb4)`.as(
            'answer',
          ),
      })
      .from(sql`DUAL`),
  () => '',
);

async function groonga(db: Database, command: string): Promise<unknown> {
  const [row] = await groongaStatement(db, undefined).execute({ command });
  return row?.answer;
}

/** Groonga's answer to a select: `[[[n_hits], [columns...], ...rows]]`. */
function readHits(answer: unknown, score = true): SearchHits {
  if (typeof answer !== 'string') throw new Error('mroonga_command gave no answer');
  const [result] = JSON.parse(answer) as [
    [[number], unknown[], ...Array<[number, number, number, number]>],
  ];
  const [[total], , ...rows] = result;
  const hits = rows.map(([id, hitScore, created, cents]) => ({
    id,
    score: score ? hitScore : 0,
    created,
    cents,
  }));
  return { total, hits };
}

/** The page's product ids in order, and how many products match in all. */
export async function indexedSearchPage(
  db: Database,
  search: IndexedSearch,
): Promise<{ ids: number[]; total: number }> {
  const text = `query("name || description", ${quoted(search.words.map(term).join(' '))})`;
  const others = otherConditions(search);
  if (search.named.length === 0) {
    const { total, hits } = readHits(
      await groonga(
        db,
        selectCommand(`${text}${others}`, SORT_KEYS[search.sort], search.offset, search.limit),
      ),
    );
    return { ids: hits.map((hit) => hit.id), total };
  }
  // Two halves, as the InnoDB path reads them: the text's matches, and the
  // named categories' products that do not match it; each up to the page's
  // end, merged, the page cut from the merge. Two statements at once, on two
  // pooled connections: each select pays for its own matching and result
  // table, so one after the other a category's name cost twice one search.
  const head = search.offset + search.limit;
  const categorySort = search.sort === 'relevance' ? 'newest' : search.sort;
  const named = `in_values(category_id, ${search.named.join(', ')})`;
  const [textAnswer, categoryAnswer] = await Promise.all([
    groonga(db, selectCommand(`${text}${others}`, SORT_KEYS[search.sort], 0, head)),
    groonga(db, selectCommand(`(${named} &! ${text})${others}`, SORT_KEYS[categorySort], 0, head)),
  ]);
  return mergeHalves(readHits(textAnswer), readHits(categoryAnswer, false), search);
}
