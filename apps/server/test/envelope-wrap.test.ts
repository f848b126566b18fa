import { isPage } from '@buybuy/api';
import { describe, expect, it } from 'vitest';

import { success } from '../src/plugins/envelope';
import { wrapPayload } from '../src/plugins/rest';

/** What the envelope hook did before the fast path: parse the body, then serialise the envelope. */
const parsed = (status: number, payload: string) =>
  JSON.stringify(success(status, JSON.parse(payload)));

const item = (id: number, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Item "${id}" \\ \u2028 ${'\ud83d'}`,
  price: '19.90',
  ...extra,
});
const pagination = { page: 2, per_page: 20, total: 94989, total_pages: 4750 };

describe('the REST envelope around JSON text', () => {
  const same: Array<[string, unknown]> = [
    ['a page', { items: [item(1), item(2)], pagination }],
    ['items holding pagination keys', { items: [{ pagination: { page: 1 } }], pagination }],
    ['an empty page', { items: [], pagination: { ...pagination, total: 0, total_pages: 0 } }],
    ['a value', item(3, { images: [{ id: 1 }] })],
    ['an array', [1, 'two', null]],
    ['null', null],
    ['a string', 'text'],
    ['a number', -1.5e-7],
    [
      'keys named like the envelope inside strings',
      item(4, { note: '"pagination":{} "success":' }),
    ],
  ];
  for (const [name, value] of same) {
    it(`gives the same bytes as parse + stringify: ${name}`, () => {
      for (const status of [200, 201]) {
        const payload = JSON.stringify(value);
        const wrapped = wrapPayload(status, payload, isPage(value));
        // Bytes, sent as they are: a string would be copied twice more on its way out.
        expect(Buffer.isBuffer(wrapped)).toBe(true);
        expect(wrapped?.toString()).toBe(parsed(status, payload));
      }
    });
  }

  const slow: Array<[string, unknown]> = [
    ['an envelope already', { success: true, data: null, errors: [] }],
    ['a page-like value with a third key', { items: [], extra: [], pagination }],
    ['a page whose keys come in another order', { pagination, items: [] }],
    ['a pagination key in a value', { data: [{ pagination: { page: 1 } }] }],
    ['a success key anywhere', item(5, { nested: { success: true, errors: [] } })],
    ['pagination that is not a flat object', { items: [], pagination: { page: { n: 1 } } }],
  ];
  for (const [name, value] of slow) {
    it(`leaves the parsing path what it cannot prove plain: ${name}`, () => {
      expect(wrapPayload(200, JSON.stringify(value), isPage(value))).toBeUndefined();
    });
  }
});
