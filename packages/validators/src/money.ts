import { z } from 'zod';

import { parseAmount, readFormAmount } from './amounts';

/**
 * An amount as people and clients write it: a number or a numeric string with
 * at most two decimals, normalised to a two-decimal string ("19.9" → "19.90")
 * without ever going through floating point arithmetic.
 */
export const moneyInput = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const result = parseAmount(value);
  if (result.ok) return result.amount;
  ctx.addIssue({
    code: 'custom',
    message:
      result.problem === 'negative'
        ? 'Must not be negative'
        : 'Must be an amount with at most two decimals and at most 10 digits before the point',
  });
  return z.NEVER;
});

/** An amount as the API answers it: a string with exactly two decimals ("19.90"). */
export const moneyAmount = z.string().regex(/^\d+\.\d{2}$/);

/**
 * An amount typed into a form: a decimal comma is accepted, the result is the
 * two-decimal string the API stores ("19,9" → "19.90"). Messages are for people.
 */
export const moneyFormInput = z.string().transform((text, ctx) => {
  const read = readFormAmount(text);
  if ('amount' in read) return read.amount;
  ctx.addIssue({ code: 'custom', message: read.error });
  return z.NEVER;
});
