import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MAX_TRPC_BATCH } from '../src/plugins/trpc';
import { startTestApp, type TestApp } from './harness';

let t: TestApp;
let statements = 0;
beforeAll(async () => {
  t = await startTestApp({}, { onStatement: () => void statements++ });
});
afterAll(() => t.close());

const batchOf = (calls: number) =>
  `/trpc/${Array.from({ length: calls }, () => 'categories.list').join(',')}?batch=1&input=${encodeURIComponent(
    JSON.stringify(Object.fromEntries(Array.from({ length: calls }, (_, i) => [i, { json: {} }]))),
  )}`;

describe('tRPC batch size', () => {
  it(`serves a batch of ${MAX_TRPC_BATCH} calls`, async () => {
    const res = await t.app.inject({ method: 'GET', url: batchOf(MAX_TRPC_BATCH) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toHaveLength(MAX_TRPC_BATCH);
  });

  it('refuses a larger batch as one tRPC error, before any call runs', async () => {
    statements = 0;
    for (const calls of [MAX_TRPC_BATCH + 1, 1000]) {
      const res = await t.app.inject({ method: 'GET', url: batchOf(calls) });
      expect(res.statusCode, `${calls} calls`).toBe(400);
      const body = res.json<{ error: { json: { message: string; data: unknown } } }>();
      expect(body.error.json.data).toMatchObject({ code: 'VALIDATION', httpStatus: 400 });
      expect(body.error.json.message).toMatch(/batch/i);
      expect(res.body.length).toBeLessThan(1000);
    }
    const mutations = await t.app.inject({
      method: 'POST',
      url: `/trpc/${Array.from({ length: MAX_TRPC_BATCH + 1 }, () => 'auth.login').join(',')}?batch=1`,
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(mutations.statusCode).toBe(400);
    expect(statements).toBe(0);
  });
});
