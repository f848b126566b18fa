import { describe, expect, it } from 'vitest';

import {
  checkPriceFilter,
  isPriceRangeReversed,
  MONEY_FORM_MESSAGE,
  moneyAmount,
  moneyFormInput,
  moneyInput,
  normaliseDecimalComma,
  PRICE_RANGE_MESSAGE,
} from '../src';

const messages = (value: unknown) =>
  moneyInput.safeParse(value).error?.issues.map((issue) => issue.message);

describe('moneyInput', () => {
  it('normalises numbers and numeric strings to two decimals, without floats', () => {
    expect(moneyInput.parse('19.9')).toBe('19.90');
    expect(moneyInput.parse(' 7 ')).toBe('7.00');
    expect(moneyInput.parse(0)).toBe('0.00');
    expect(moneyInput.parse(12.5)).toBe('12.50');
    expect(moneyInput.parse('007.05')).toBe('7.05');
    // The largest DECIMAL(12,2) amount stays exact (a float would round it).
    expect(moneyInput.parse('9999999999.99')).toBe('9999999999.99');
  });

  it('refuses negative amounts', () => {
    expect(messages('-1')).toEqual(['Must not be negative']);
    expect(messages(-0.5)).toEqual(['Must not be negative']);
  });

  it('refuses more than two decimals, more than 10 digits and anything not a number', () => {
    const tooPrecise =
      'Must be an amount with at most two decimals and at most 10 digits before the point';
    for (const value of ['1.999', '12345678901', '1e3', '0x10', '', '1,50', '1.', 1.005]) {
      expect(messages(value), String(value)).toEqual([tooPrecise]);
    }
    expect(moneyInput.safeParse(null).success).toBe(false);
  });
});

describe('moneyAmount', () => {
  it('is the two-decimal string moneyInput produces', () => {
    expect(moneyAmount.safeParse(moneyInput.parse('3')).success).toBe(true);
    expect(moneyAmount.safeParse('3').success).toBe(false);
    expect(moneyAmount.safeParse('3.5').success).toBe(false);
  });
});

describe('normaliseDecimalComma', () => {
  it('reads a lone comma with one or two digits after it as the decimal point', () => {
    expect(normaliseDecimalComma('19,99')).toBe('19.99');
    expect(normaliseDecimalComma(' 1,5 ')).toBe('1.5');
  });

  it('leaves what could be a thousands separator, or is not a number, as typed', () => {
    for (const text of ['1,000', '1,000.50', '1.000,50', '1,2,3', ',5', '5,', 'ab,cd', '19.99']) {
      expect(normaliseDecimalComma(text), text).toBe(text);
    }
  });

  it('is not accepted by the API rule itself: the wire takes the dot only', () => {
    expect(moneyInput.safeParse('19,99').success).toBe(false);
  });
});

describe('moneyFormInput', () => {
  it('takes a decimal comma or point and gives the two-decimal amount the API stores', () => {
    expect(moneyFormInput.parse('19,99')).toBe('19.99');
    expect(moneyFormInput.parse('19,9')).toBe('19.90');
    expect(moneyFormInput.parse(' 7 ')).toBe('7.00');
    expect(moneyFormInput.parse('19.99')).toBe('19.99');
  });

  it("refuses in words for people, never in the API's", () => {
    const message = (text: string) => moneyFormInput.safeParse(text).error?.issues[0]?.message;
    for (const text of ['1,000', '1,999', '1.999', 'abc', '']) {
      expect(message(text), text).toBe(MONEY_FORM_MESSAGE);
    }
    expect(message('-3')).toBe('Enter an amount of 0 or more.');
  });
});

describe('the price range rule', () => {
  it('is reversed only when both bounds are there and the minimum is above the maximum', () => {
    expect(isPriceRangeReversed('90.00', '10.00')).toBe(true);
    expect(isPriceRangeReversed('10.00', '10.00')).toBe(false);
    // Compared exactly: a float would call these equal.
    expect(isPriceRangeReversed('9007199254740.99', '9007199254740.98')).toBe(true);
    expect(isPriceRangeReversed('90.00', undefined)).toBe(false);
    expect(isPriceRangeReversed(undefined, '10.00')).toBe(false);
  });

  it('checks a typed filter as a form does: each amount, then the range, in words', () => {
    expect(checkPriceFilter('10,5', '')).toEqual({ values: { min_price: '10.50' }, errors: {} });
    expect(checkPriceFilter('90', '10')).toEqual({
      values: { min_price: '90.00', max_price: '10.00' },
      errors: { min_price: PRICE_RANGE_MESSAGE },
    });
    expect(checkPriceFilter('abc', '1.234').errors).toEqual({
      min_price: MONEY_FORM_MESSAGE,
      max_price: MONEY_FORM_MESSAGE,
    });
    expect(checkPriceFilter(' ', '')).toEqual({ values: {}, errors: {} });
  });
});
