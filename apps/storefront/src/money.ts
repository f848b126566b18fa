import { queryOptions, useSuspenseQuery } from '@tanstack/react-query';
import { useMemo } from 'react';

import { queries } from './api';

/** The shop's name and its one currency: the same for every visitor, fetched once per visit. */
export const shopQuery = queryOptions({
  ...queries.shop.info.queryOptions({}),
  staleTime: Infinity,
});

export interface Money {
  /** An API amount ("1234.50") in the shop's currency, in the shopper's locale ("$1,234.50"). */
  format: (amount: string) => string;
  /** The currency's sign as the shopper's locale writes it ("$", "€", "CHF"). */
  symbol: string;
}

/**
 * Formats for one currency. Intl formats the amount's decimal string as
 * written, never through floating point.
 */
export function moneyIn(currency: string): Money {
  const formatter = new Intl.NumberFormat(undefined, { style: 'currency', currency });
  return {
    format: (amount) => formatter.format(amount as Intl.StringNumericLiteral),
    symbol: formatter.formatToParts(0).find((part) => part.type === 'currency')?.value ?? currency,
  };
}

/** Money in the shop's currency; suspends until the shop's info is known (once per visit). */
export function useMoney(): Money {
  const { data: shop } = useSuspenseQuery(shopQuery);
  return useMemo(() => moneyIn(shop.currency), [shop.currency]);
}

/** Two-decimal amounts added exactly, in cents ("12.50" + "4.99" = "17.49"). */
export function addAmounts(...amounts: string[]): string {
  const cents = amounts.reduce((total, amount) => {
    const [whole = '0', fraction = ''] = amount.split('.');
    return total + BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2) || '0');
  }, 0n);
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}
