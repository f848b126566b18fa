/** The store sells in one currency; the API's prices carry no currency of their own. */
export const CURRENCY_SIGN = '$';

/** The API's price string ("19.99") exactly as given, never through floating point. */
export function formatPrice(price: string): string {
  return `${CURRENCY_SIGN}${price}`;
}
