import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Headers that differ between any two responses. */
const PER_RESPONSE = new Set(['x-request-id', 'date', 'keep-alive', 'connection']);
const comparable = (headers: Headers) =>
  Object.fromEntries([...headers].filter(([name]) => !PER_RESPONSE.has(name)));

const input = encodeURIComponent(JSON.stringify({ json: {} }));

describe('HEAD on a GET route', () => {
  it.each([
    ['a public REST read', '/v1/categories'],
    ['a REST read needing a token', '/v1/users/profile'],
    ['a tRPC query', `/trpc/categories.list?input=${input}`],
    [
      'a batched tRPC query',
      `/trpc/categories.list?batch=1&input=${encodeURIComponent('{"0":{"json":{}}}')}`,
    ],
    ['an unknown /v1 path', '/v1/nope'],
    ['a plain route', '/health'],
  ])('answers %s as the GET would, without a body', async (_name, path) => {
    const get = await fetch(`${t.url}${path}`);
    const head = await fetch(`${t.url}${path}`, { method: 'HEAD' });
    expect(head.status).toBe(get.status);
    expect(comparable(head.headers)).toEqual(comparable(get.headers));
    expect(await head.text()).toBe('');
    expect((await get.text()).length).toBeGreaterThan(0);
  });
});
