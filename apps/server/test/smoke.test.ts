import { afterAll, beforeAll, expect, it } from 'vitest';

import { startTestApp, type TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

it('answers an unknown REST route with the enveloped 404', async () => {
  const res = await t.rest('GET', '/v1/nope');
  expect(res.statusCode).toBe(404);
  expect(res.json()).toMatchObject({ success: false, data: null, errors: [{ code: 'NOT_FOUND' }] });
});
