import { moneyFormInput } from '@buybuy/validators';
import { useQuery } from '@tanstack/react-query';

import { queries } from './api';

export const MONEY_HINT = 'An amount like 19.90 (or 19,90), with at most two decimals.';

/**
 * What is wrong with a typed amount, in words; nothing for an empty field.
 * The server's own rule, with a decimal comma read as the point (moneyFormInput).
 */
export function moneyError(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  return moneyFormInput.safeParse(text).error?.issues[0]?.message;
}

/** A typed amount as the API takes it: "19,99" → "19.99" (check it with moneyError first). */
export const moneyToSend = (text: string) => moneyFormInput.parse(text);

/** The shop's name and currency: they change with a deploy, not while the panel is open. */
export const shopInfo = () => ({
  ...queries.shop.info.queryOptions({}),
  staleTime: Infinity,
});

const formats = new Map<string, Intl.NumberFormat>();

/**
 * A server amount ("1234.50") in the reader's locale and the given currency.
 * The string goes to Intl as it is: a decimal string is formatted exactly,
 * never through floating point.
 */
export function formatMoney(amount: string, currency: string): string {
  let format = formats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    formats.set(currency, format);
  }
  return format.format(amount as `${number}`);
}

/**
 * Formats amounts in the shop's currency. The layout loads the shop before
 * any screen shows, so the currency is known; an order's own currency (it
 * is stored with the order) wins when given.
 */
export function useMoney(): (amount: string, currency?: string) => string {
  const shop = useQuery(shopInfo());
  const shopCurrency = shop.data?.currency;
  return (amount, currency = shopCurrency) => (currency ? formatMoney(amount, currency) : amount);
}
