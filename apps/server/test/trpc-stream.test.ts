import { request } from 'node:http';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from './harness';

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await startTestApp();
  token = await t.tokenFor('streamer');
});
afterAll(() => t.close());

/** The raw response head, as a strict client (Node's fetch) would judge it. */
const rawHeaders = (path: string, headers: Record<string, string>) =>
  new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>(
    (resolve, reject) => {
      const req = request(`${t.url}${path}`, { headers }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
      });
      req.on('error', reject);
      req.end();
    },
  );

const batch = (name: string) =>
  `/trpc/${name}?batch=1&input=${encodeURIComponent('{"0":{"json":{}}}')}`;

describe('streamed tRPC answers (application/jsonl)', () => {
  it.each([
    ['a public read', batch('categories.list'), {}],
    ['a signed-in read', batch('users.profile'), { authorization: '' }],
  ])('%s never sends Content-Length with Transfer-Encoding', async (_name, path, extra) => {
    const headers = {
      accept: 'application/jsonl',
      'trpc-accept': 'application/jsonl',
      ...('authorization' in extra ? { authorization: `Bearer ${token}` } : {}),
    };
    const res = await rawHeaders(path, headers);
    expect(res.status).toBe(200);
    const framed = ['content-length', 'transfer-encoding'].filter((name) => name in res.headers);
    expect(framed).toHaveLength(1);
    const fetched = await fetch(`${t.url}${path}`, { headers });
    expect(fetched.status).toBe(200);
    expect(await fetched.text()).toContain('"json"');
  });
});
