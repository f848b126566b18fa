import { describe, expect, it } from 'vitest';

import { moneyAmount, moneyInput } from '../src';

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
