import { moneyInput } from '@buybuy/validators';

export const MONEY_HINT = 'An amount like 19.90, with at most two decimals.';

export function moneyError(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  // The server's own rule, so the form refuses exactly what the API would.
  return moneyInput.safeParse(text).success
    ? undefined
    : 'Enter an amount with at most two decimals, like 19.90.';
}

/** Shows a server amount ("1234.50") as it is, with the currency sign in front. */
export function formatPrice(price: string) {
  return `$${price}`;
}
