/**
 * Money amounts as text, without zod: the rules a storefront's first screen
 * checks (the price filter) stay out of the schema library's weight. The zod
 * schemas in money.ts are built on these same functions.
 */

/** At most 10 digits before the point and 2 after: what a DECIMAL(12,2) column holds. */
const MONEY_PATTERN = /^(\d{1,10})(?:\.(\d{1,2}))?$/;

export type AmountResult =
  { ok: true; amount: string } | { ok: false; problem: 'negative' | 'format' };

/**
 * An amount as people and clients write it ("19.9", " 7 ", 12.5), normalised
 * to a two-decimal string ("19.90") without floating point arithmetic.
 */
export function parseAmount(value: string | number): AmountResult {
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (text.startsWith('-')) return { ok: false, problem: 'negative' };
  const match = MONEY_PATTERN.exec(text);
  if (!match) return { ok: false, problem: 'format' };
  const whole = match[1]!.replace(/^0+(?=\d)/, '');
  return { ok: true, amount: `${whole}.${(match[2] ?? '').padEnd(2, '0')}` };
}

/**
 * A typed amount with a decimal comma ("19,99", as much of Europe writes it)
 * in the API's notation ("19.99"). Only a lone comma with one or two digits
 * after it is a decimal comma: "1,000" stays as typed, so it is refused rather
 * than read as 1 or as 1000. The API itself takes the dot only (a comma means
 * a thousands separator to many clients); forms call this before sending.
 */
export function normaliseDecimalComma(text: string): string {
  const trimmed = text.trim();
  return /^\d+,\d{1,2}$/.test(trimmed) ? trimmed.replace(',', '.') : trimmed;
}

/** What a form says about an amount it cannot send. */
export const MONEY_FORM_MESSAGE = 'Enter an amount with at most two decimals, like 19.90.';
const NEGATIVE_FORM_MESSAGE = 'Enter an amount of 0 or more.';

/** An amount typed into a form (decimal comma or point): the amount to send, or a sentence for people. */
export function readFormAmount(text: string): { amount: string } | { error: string } {
  const result = parseAmount(normaliseDecimalComma(text));
  if (result.ok) return { amount: result.amount };
  return { error: result.problem === 'negative' ? NEGATIVE_FORM_MESSAGE : MONEY_FORM_MESSAGE };
}

/** Compares two normalised amounts ("19.90") exactly, in cents, without floats. */
const cents = (amount: string) => BigInt(amount.replace('.', ''));

/**
 * The price filter's one cross-field rule, shared by the API and the filter
 * forms: a minimum above the maximum matches nothing, so it is refused.
 * Takes normalised amounts; absent bounds never conflict.
 */
export const isPriceRangeReversed = (min: string | undefined, max: string | undefined) =>
  min !== undefined && max !== undefined && cents(min) > cents(max);

/** What a filter form says when its minimum price is above its maximum. */
export const PRICE_RANGE_MESSAGE = 'The minimum price must not be more than the maximum price.';

export interface PriceFilter {
  /** Normalised amounts to send; absent when the field is empty. */
  values: { min_price?: string; max_price?: string };
  /** A sentence for people under each field that cannot be sent. */
  errors: { min_price?: string; max_price?: string };
}

/**
 * A price filter as typed into a form (empty text = no bound), checked with
 * the API's own rules before anything is sent: each amount, then the range.
 */
export function checkPriceFilter(minText: string, maxText: string): PriceFilter {
  const filter: PriceFilter = { values: {}, errors: {} };
  for (const [field, text] of [
    ['min_price', minText],
    ['max_price', maxText],
  ] as const) {
    if (text.trim() === '') continue;
    const read = readFormAmount(text);
    if ('amount' in read) filter.values[field] = read.amount;
    else filter.errors[field] = read.error;
  }
  if (isPriceRangeReversed(filter.values.min_price, filter.values.max_price)) {
    filter.errors.min_price = PRICE_RANGE_MESSAGE;
  }
  return filter;
}
