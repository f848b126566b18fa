import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from '../../../apps/server/test/harness';
import { createBuyBuyClient, createMemoryTokenStore } from '../src';
import { recordingFetch } from './helpers';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('batching under the server limit', () => {
  it('splits 120 calls of one tick into batches the server accepts (at most 50 calls each)', async () => {
    const recorder = recordingFetch();
    const client = createBuyBuyClient({
      baseUrl: t.url,
      fetch: recorder.fetch,
      ...createMemoryTokenStore(),
    });
    const answers = await Promise.all(
      Array.from({ length: 120 }, () => client.shop.info.query({})),
    );
    expect(answers).toHaveLength(120);
    expect(answers.every((answer) => answer.currency === 'USD')).toBe(true);
    const sizes = recorder.requests.map((request) => request.path.split(',').length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(120);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(50);
    expect(recorder.calls.every((call) => call.endsWith(' 200'))).toBe(true);
  });
});
