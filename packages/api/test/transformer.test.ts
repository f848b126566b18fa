import superjson from 'superjson';
import { describe, expect, it } from 'vitest';

import { transformer } from '../src/transformer';

const product = {
  id: 1,
  name: 'Mug "blue" \u2028',
  price: '19.90',
  description: null,
  is_active: true,
  created_at: '2026-11-24T19:36:41.075Z',
  images: [{ id: 2, is_primary: false }],
};
const shared = { id: 3 };
const holey: unknown[] = [1];
holey[2] = 3;

const values: Array<[string, unknown]> = [
  ['a page of plain JSON', { items: [product, { ...product, id: 2 }], pagination: { page: 1 } }],
  ['null', null],
  ['an empty array', []],
  ['a Date', { at: new Date('2026-01-01T00:00:00Z') }],
  ['undefined in an object', { retryAfter: undefined, code: 'X' }],
  ['undefined in an array', [1, undefined]],
  ['a hole in an array', holey],
  ['-0, NaN and Infinity', [-0, Number.NaN, Infinity, -Infinity]],
  ['a bigint', { n: 10n }],
  ['a Map and a Set', { m: new Map([[1, 2]]), s: new Set([1]) }],
  ['an object reached twice', { a: shared, b: [shared] }],
  ['a null-prototype object', Object.assign(Object.create(null) as object, { a: 1 })],
];

describe('the tRPC transformer', () => {
  for (const [name, value] of values) {
    it(`serialises exactly as superjson: ${name}`, () => {
      const ours = transformer.serialize(value);
      expect(JSON.stringify(ours)).toBe(JSON.stringify(superjson.serialize(value)));
      expect(transformer.deserialize(JSON.parse(JSON.stringify(ours)))).toEqual(
        superjson.deserialize(JSON.parse(JSON.stringify(superjson.serialize(value)))),
      );
    });
  }

  it('leaves keys superjson refuses to superjson', () => {
    const value = JSON.parse('{"__proto__": {"a": 1}}') as unknown;
    expect(() => superjson.serialize(value)).toThrow();
    expect(() => transformer.serialize(value)).toThrow();
  });
});
