import { z } from 'zod';

/** At most 10 digits before the point and 2 after: what a DECIMAL(12,2) column holds. */
const MONEY_PATTERN = /^(\d{1,10})(?:\.(\d{1,2}))?$/;

/**
 * An amount as people and clients write it: a number or a numeric string with
 * at most two decimals, normalised to a two-decimal string ("19.9" → "19.90")
 * without ever going through floating point arithmetic.
 */
export const moneyInput = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (text.startsWith('-')) {
    ctx.addIssue({ code: 'custom', message: 'Must not be negative' });
    return z.NEVER;
  }
  const match = MONEY_PATTERN.exec(text);
  if (!match) {
    ctx.addIssue({
      code: 'custom',
      message: 'Must be an amount with at most two decimals and at most 10 digits before the point',
    });
    return z.NEVER;
  }
  const whole = match[1]!.replace(/^0+(?=\d)/, '');
  return `${whole}.${(match[2] ?? '').padEnd(2, '0')}`;
});

/** An amount as the API answers it: a string with exactly two decimals ("19.90"). */
export const moneyAmount = z.string().regex(/^\d+\.\d{2}$/);
