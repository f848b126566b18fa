import { products } from '@buybuy/db';
import { and, inArray, like, not, or, type SQL, sql } from 'drizzle-orm';

import { likePattern } from '../shared/schemas';

/**
 * How a search text becomes SQL (docs/architecture.md, "Search").
 *
 * The text is read as words (letters and digits); every word must match.
 * Words the full-text index holds are matched through it as word prefixes
 * (`MATCH (name, description) AGAINST ('+lamp* +oak*' IN BOOLEAN MODE)`):
 * "head" finds "Headphones". InnoDB indexes no word shorter than
 * `innodb_ft_min_token_size` (3, on MariaDB and MySQL alike) and none of its
 * stopwords, so those words ("tv", "4k", "the") are matched as substrings of
 * the name or description instead; the index still narrows the rows first
 * when the text has any other word. A text with no word at all ("%", "50%"
 * is the word "50" plus a sign) is one substring, as typed. A product also
 * matches when the name of its own category contains every word.
 */
export interface SearchPlan {
  /** The boolean-mode query, or undefined when no word is in the index. */
  fullText: string | undefined;
  /** LIKE patterns (escaped), each to be found in the name or the description. */
  substrings: string[];
  /** The words, lower-cased, for the category names. */
  words: string[];
}

/** innodb_ft_min_token_size and innodb_ft_max_token_size, the defaults of both servers. */
const MIN_WORD = 3;
const MAX_WORD = 84;

/** InnoDB's default full-text stopwords (INFORMATION_SCHEMA.INNODB_FT_DEFAULT_STOPWORD). */
const STOPWORDS = new Set(
  (
    'a about an are as at be by com de en for from how i in is it la of on or that the this to ' +
    'was what when where who will with und www'
  ).split(' '),
);

const indexed = (word: string) =>
  word.length >= MIN_WORD && word.length <= MAX_WORD && !STOPWORDS.has(word);

export function planSearch(text: string): SearchPlan {
  const words = [...new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u))].filter(Boolean);
  if (words.length === 0) return { fullText: undefined, substrings: [likePattern(text)], words };
  const inIndex = words.filter(indexed);
  return {
    fullText: inIndex.length > 0 ? inIndex.map((word) => `+${word}*`).join(' ') : undefined,
    substrings: words.filter((word) => !indexed(word)).map(likePattern),
    words,
  };
}

/** The shape of a plan the SQL depends on (not its values): part of a statement's cache key. */
export interface SearchShape {
  fullText: boolean;
  substrings: number;
  /** How many category ids match by name. */
  categories: number;
}

export const searchShape = (plan: SearchPlan, categoryIds: number[]): SearchShape => ({
  fullText: plan.fullText !== undefined,
  substrings: plan.substrings.length,
  categories: categoryIds.length,
});

export const searchKey = (shape: SearchShape | undefined) =>
  shape ? `${+shape.fullText}.${shape.substrings}.${shape.categories}` : '-';

/** The relevance of a row to the full-text query (0 when it matched otherwise). */
export const relevance = sql<number>`MATCH (${products.name}, ${products.description}) AGAINST (${sql.placeholder('search_text')} IN BOOLEAN MODE)`;

/** Which rows of a search: all of them, or one of the two halves a split search reads apart. */
export type SearchPart = 'all' | 'text' | 'category';

/**
 * A search whose words also name a category is read in two halves: `MATCH
 * ... OR category_id IN (...)` is an OR across two indexes, which the server
 * answers by reading the table, while each half alone has its index.
 */
export const isSplit = (shape: SearchShape | undefined) =>
  shape !== undefined && shape.fullText && shape.categories > 0;

/** Name and description hold every word. */
function textCondition(shape: SearchShape): SQL {
  const text: SQL[] = [];
  if (shape.fullText) text.push(relevance);
  for (let i = 0; i < shape.substrings; i++) {
    const pattern = sql.placeholder(`search_like${i}`);
    text.push(or(like(products.name, pattern), like(products.description, pattern))!);
  }
  return and(...text)!;
}

/**
 * The search condition, its values as placeholders (see `searchValues`):
 * the product's text, or its category's name; or one half of that (`part`),
 * the category half leaving out what the text half finds.
 */
export function searchCondition(shape: SearchShape, part: SearchPart = 'all'): SQL {
  const inText = textCondition(shape);
  if (part === 'text' || shape.categories === 0) return inText;
  const named = inArray(
    products.category_id,
    Array.from({ length: shape.categories }, (_, i) => sql.placeholder(`search_category${i}`)),
  );
  return part === 'category' ? and(named, not(inText))! : or(inText, named)!;
}

export function searchValues(plan: SearchPlan, categoryIds: number[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  if (plan.fullText !== undefined) values.search_text = plan.fullText;
  plan.substrings.forEach((pattern, i) => (values[`search_like${i}`] = pattern));
  categoryIds.forEach((id, i) => (values[`search_category${i}`] = id));
  return values;
}

/** Categories whose own name contains every word (or, for a text of no word, the text). */
export function categoriesNamed(
  plan: SearchPlan,
  text: string,
  categories: Iterable<{ id: number; name: string }>,
): number[] {
  const needles = plan.words.length > 0 ? plan.words : [text.toLowerCase()];
  const ids: number[] = [];
  for (const category of categories) {
    const name = category.name.toLowerCase();
    if (needles.every((needle) => name.includes(needle))) ids.push(category.id);
  }
  return ids;
}
