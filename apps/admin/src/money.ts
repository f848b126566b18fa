/** What the server accepts as money: digits, at most two decimals. Never parsed into a float. */
export const MONEY_PATTERN = /^\d{1,10}(\.\d{1,2})?$/;

export const MONEY_HINT = 'An amount like 19.90, with at most two decimals.';

export function moneyError(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  return MONEY_PATTERN.test(text.trim())
    ? undefined
    : 'Enter an amount with at most two decimals, like 19.90.';
}

/** Shows a server amount ("1234.50") as it is, with the currency sign in front. */
export function formatPrice(price: string) {
  return `$${price}`;
}
