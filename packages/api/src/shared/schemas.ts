import { idSchema, moneyAmount, moneyInput as moneyRule, wholeNumber } from '@buybuy/validators';
import { z } from 'zod';

/**
 * One zod schema per concept, reused by procedures, the OpenAPI document, the SDK and forms.
 * The rules the apps' forms check too live in @buybuy/validators; this file adds what only the
 * API needs (OpenAPI descriptions, pages, query-string flags).
 */

export { idSchema };
/** Every input object is strict: an unknown key (a query typo, too) is a 400, never ignored. */
export const idParams = z.object({ id: idSchema }).strict();
/** The input of an operation that takes none: still refuses unknown keys. */
export const noInput = z.object({}).strict();

/** ISO-8601 in UTC on the wire (both faces), from a Date read from the database. */
export const timestampSchema = z.iso.datetime();
export const toTimestamp = (date: Date) => date.toISOString();

/**
 * Money input (see moneyInput in @buybuy/validators). The document keeps the
 * union's `anyOf: [number, string]` with no `type` beside it, which would
 * refuse the number the API accepts.
 */
export const moneyInput = moneyRule.meta({
  description: 'Decimal amount, e.g. "19.99" (a number is accepted too)',
  example: '19.99',
});

export const moneySchema = moneyAmount.meta({
  description: 'Decimal amount with two decimals',
  example: '19.99',
});

/**
 * A boolean that arrives as a query string. `?flag=false` must mean false, so
 * the strings are read literally instead of by truthiness; anything else is a 400.
 */
export const booleanFlag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((value) => value === true || value === 'true' || value === '1')
  .meta({ type: 'boolean', description: 'true, false, 1 or 0' });

export const paginationInput = {
  page: wholeNumber.pipe(z.number().int().min(1).max(100_000)).default(1),
  per_page: wholeNumber.pipe(z.number().int().min(1).max(100)).default(20),
};

export const paginationSchema = z.object({
  page: z.number().int(),
  per_page: z.number().int(),
  total: z.number().int(),
  total_pages: z.number().int(),
});
export type Pagination = z.infer<typeof paginationSchema>;

/**
 * A page of a list. On REST the envelope lifts `items` into `data` and
 * `pagination` into `meta.pagination` (see isPage); tRPC returns it as is.
 */
export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), pagination: paginationSchema });

export const isPage = (value: unknown): value is { items: unknown[]; pagination: Pagination } =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as { items?: unknown }).items) &&
  typeof (value as { pagination?: unknown }).pagination === 'object' &&
  Object.keys(value).length === 2;

export const toPagination = (page: number, perPage: number, total: number): Pagination => ({
  page,
  per_page: perPage,
  total,
  total_pages: Math.ceil(total / perPage),
});

/** Escapes LIKE wildcards so a search for "50%" finds the text "50%". */
export const likePattern = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * trpc-to-openapi coerces every plain z.number() / z.boolean() in an input
 * shape, body included, by mutating the schema instance (so `"false"` turns
 * true and `null` turns 0, on the tRPC face too once REST has been called).
 * It leaves pipes alone: wrap body numbers and booleans in this to keep them
 * exactly as typed.
 */
export const exact = <T extends z.ZodType>(schema: T) => schema.transform((value) => value);
