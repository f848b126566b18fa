import { describe, expect, it } from 'vitest';

import { fitsColumn, fromCents, MAX_AMOUNT, multiply, sum, toCents } from '../src/shared/money';

describe('money arithmetic', () => {
  it('reads amounts with zero, one or two decimals as cents', () => {
    expect(toCents('19.99')).toBe(1999n);
    expect(toCents('19.9')).toBe(1990n);
    expect(toCents('19')).toBe(1900n);
    expect(toCents('0.05')).toBe(5n);
    expect(toCents(MAX_AMOUNT)).toBe(999_999_999_999n);
  });

  it('refuses what is not an amount', () => {
    for (const bad of ['', '-1.00', '1.234', '1e3', ' 1.00', 'NaN', '.5']) {
      expect(() => toCents(bad), bad).toThrow();
    }
    expect(() => fromCents(-1n)).toThrow();
    expect(() => multiply('1.00', 1.5)).toThrow();
  });

  it('writes cents with exactly two decimals', () => {
    expect(fromCents(0n)).toBe('0.00');
    expect(fromCents(5n)).toBe('0.05');
    expect(fromCents(1999n)).toBe('19.99');
    expect(fromCents(100n)).toBe('1.00');
  });

  it('adds and multiplies exactly where floats would not', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sum(['0.10', '0.20'])).toBe('0.30');
    expect(multiply('19.99', 3)).toBe('59.97');
    expect(multiply('0.07', 100)).toBe('7.00');
    expect(sum([])).toBe('0.00');
    expect(sum(['9999999999.99', '0.01'])).toBe('10000000000.00');
  });

  it('knows what a DECIMAL(12,2) column holds', () => {
    expect(fitsColumn(MAX_AMOUNT)).toBe(true);
    expect(fitsColumn(sum([MAX_AMOUNT, '0.01']))).toBe(false);
  });
});
