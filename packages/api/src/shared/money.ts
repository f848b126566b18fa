/**
 * Exact arithmetic on money strings ("19.99", as DECIMAL(12,2) columns and the
 * wire carry them), in integer cents held as BigInt: never a float, so
 * 0.10 + 0.20 is 0.30 and a line of 3 × 19.99 is 59.97 exactly.
 */

const AMOUNT = /^(\d+)(?:\.(\d{1,2}))?$/;

/** The largest amount a DECIMAL(12,2) column holds. */
export const MAX_AMOUNT = '9999999999.99';

/** Cents of a non-negative amount with at most two decimals; anything else is a bug, so it throws. */
export function toCents(amount: string): bigint {
  const match = AMOUNT.exec(amount);
  if (!match) throw new Error(`Not a money amount: "${amount}"`);
  return BigInt(match[1]!) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
}

/** The two-decimal string of a non-negative number of cents. */
export function fromCents(cents: bigint): string {
  if (cents < 0n) throw new Error(`Negative money amount: ${cents} cents`);
  const text = cents.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

/** `amount` × `quantity` (a line total). */
export const multiply = (amount: string, quantity: number): string => {
  if (!Number.isSafeInteger(quantity) || quantity < 0)
    throw new Error(`Not a quantity: ${quantity}`);
  return fromCents(toCents(amount) * BigInt(quantity));
};

/** The sum of the amounts ("0.00" for none). */
export const sum = (amounts: readonly string[]): string =>
  fromCents(amounts.reduce((total, amount) => total + toCents(amount), 0n));

/** Whether a DECIMAL(12,2) column can store the amount. */
export const fitsColumn = (amount: string): boolean => toCents(amount) <= toCents(MAX_AMOUNT);

/** What the selling services need to know about the shop: every amount is in its one currency. */
export interface Shop {
  /** ISO 4217, from configuration. */
  currency: string;
}
