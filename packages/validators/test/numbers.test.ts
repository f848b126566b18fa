import { describe, expect, it } from 'vitest';

import { idSchema, wholeNumber } from '../src';

describe('wholeNumber', () => {
  it('reads digits from strings and takes numbers as they are', () => {
    expect(wholeNumber.parse('42')).toBe(42);
    expect(wholeNumber.parse(7)).toBe(7);
  });

  it('refuses what z.coerce would quietly turn into a number', () => {
    for (const text of ['0x10', '1e2', ' ', '', '-3', '1.5', '12345678901234567']) {
      expect(wholeNumber.safeParse(text).success, JSON.stringify(text)).toBe(false);
    }
  });
});

describe('idSchema', () => {
  it('accepts positive safe integers, from an address too', () => {
    expect(idSchema.parse('15')).toBe(15);
    expect(idSchema.parse(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses zero, fractions and unsafe integers', () => {
    for (const value of [0, '0', 1.5, Number.MAX_SAFE_INTEGER + 1, 'abc']) {
      expect(idSchema.safeParse(value).success, String(value)).toBe(false);
    }
  });
});
