import type { Rows, SearchEngine } from '@buybuy/db';

import { type IndexedSearch, mergeHalves, type SearchHits } from './indexed-search';

/**
 * A search page through the search engine (`@buybuy/db`'s search-engine.ts;
 * docs/architecture.md, "Search"): one SphinxQL statement for the page's
 * product ids in order, with `SHOW META` for the exact number of matches
 * (two at once where the text names a category); the products are then
 * read from the database by id, as on the Mroonga path.
 *
 * The same words match as on the Mroonga path: each word as a word prefix
 * in the name or the description (`lamp*`), and a word of letters and
 * digits as the phrase of its parts ("usb3" finds "USB3" and "usb 3": the
 * feed splits them in the text too). Relevance is how often the words
 * occur (`RELEVANCE`).
 */

/**
 * A word in the engine's query syntax: letters alone or digits alone as a
 * prefix, a word of both as the phrase of its runs. The words are letters
 * and digits only (planSearch), so nothing a caller typed is an operator.
 */
const term = (word: string) =>
  /^(?:\p{L}+|\p{N}+)$/u.test(word) ? `${word}*` : `"${word.match(/\p{L}+|\p{N}+/gu)!.join(' ')}"`;

const ORDER: Record<IndexedSearch['sort'], string> = {
  relevance: 'score DESC, created_at DESC, id DESC',
  newest: 'created_at DESC, id DESC',
  price_asc: 'price_cents ASC, id ASC',
  price_desc: 'price_cents DESC, id DESC',
};

/**
 * Relevance: how often the words occur in the name and the description (a
 * word said twice counts twice). Groonga, on the Mroonga path, counts each
 * word once per field it is in; the engine's ranker that counts so
 * (`expr('sum(word_count)')`) cost 15-20 ms more on a common word at 1M
 * products (docs/benchmarks.md), so the orders can differ where a word is
 * repeated. The matches and totals are the same.
 */
const RELEVANCE = 'wordcount';

/** The filters besides the text, as `AND ...` conditions, or ''. */
function otherConditions(search: IndexedSearch): string {
  const conditions: string[] = [];
  if (search.activeOnly) conditions.push('is_active = 1');
  if (search.categoryIds) conditions.push(`category_id IN (${search.categoryIds.join(', ')})`);
  if (search.minCents !== undefined) conditions.push(`price_cents >= ${search.minCents}`);
  if (search.maxCents !== undefined) conditions.push(`price_cents <= ${search.maxCents}`);
  return conditions.map((condition) => ` AND ${condition}`).join('');
}

/** One page of matches and their exact number: a SELECT and its SHOW META, one round trip. */
async function select(
  engine: SearchEngine,
  match: string,
  conditions: string,
  sort: IndexedSearch['sort'],
  offset: number,
  limit: number,
): Promise<SearchHits> {
  // The engine keeps the best max_matches in memory (1000 unless told): a
  // page needs them all up to its end, and no more (the total counts every match).
  const maxMatches = offset + limit;
  const ranker = sort === 'relevance' ? RELEVANCE : 'none';
  const [results] = await engine.pool.query<Rows<Record<string, unknown>>[]>(
    `SELECT id, WEIGHT() AS score, created_at, price_cents FROM \`${engine.address.index}\`` +
      ` WHERE MATCH(${engine.pool.escape(match)})${conditions} ORDER BY ${ORDER[sort]}` +
      ` LIMIT ${offset}, ${limit} OPTION ranker=${ranker}, max_matches=${maxMatches};` +
      ` SHOW META LIKE 'total_found'`,
  );
  const [rows, meta] = results as [Array<Record<string, unknown>>, Array<{ Value: string }>];
  return {
    total: Number(meta[0]?.Value ?? 0),
    hits: rows.map((row) => ({
      id: Number(row.id),
      score: sort === 'relevance' ? Number(row.score) : 0,
      created: Number(row.created_at),
      cents: Number(row.price_cents),
    })),
  };
}

/** The page's product ids in order, and how many products match in all. */
export async function engineSearchPage(
  engine: SearchEngine,
  search: IndexedSearch,
): Promise<{ ids: number[]; total: number }> {
  const text = `@(name,description) ${search.words.map(term).join(' ')}`;
  const others = otherConditions(search);
  if (search.named.length === 0) {
    const { total, hits } = await select(
      engine,
      text,
      others,
      search.sort,
      search.offset,
      search.limit,
    );
    return { ids: hits.map((hit) => hit.id), total };
  }
  // Two halves, as the other paths read them: the text's matches, and the
  // named categories' products that do not match it (found by their
  // `category` words, so the engine's own index finds them); each up to the
  // page's end, merged, the page cut from the merge (mergeHalves). Both at once.
  const head = search.offset + search.limit;
  const named = `@category (${search.named.map((id) => `cat${id}`).join(' | ')})`;
  const [first, second] = await Promise.all([
    select(engine, text, others, search.sort, 0, head),
    select(
      engine,
      `${named} -(${text})`,
      others,
      search.sort === 'relevance' ? 'newest' : search.sort,
      0,
      head,
    ),
  ]);
  return mergeHalves(first, second, search);
}
