import { z } from 'zod';

/**
 * A whole number from JSON or from a path/query string. Digits only: z.coerce
 * would read "0x10" as 16, "1e2" as 100 and " " as 0.
 */
export const wholeNumber = z.union([
  z.number(),
  z
    .string()
    .regex(/^\d{1,16}$/, 'Must be a whole number')
    .transform(Number),
]);

/** The id of a row (product, category, user), from JSON or from an address. */
export const idSchema = wholeNumber.pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER));
