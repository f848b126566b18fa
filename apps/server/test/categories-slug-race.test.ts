import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from './harness';

// Issue 10 item 13: many admins creating one name at once all get a category, each its own slug.

let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.tokenFor('raceadmin', { admin: true });
});
afterAll(() => t.close());

const RACERS = 40;

describe('concurrent creates of one name with no slug', () => {
  it('all succeed on REST, each with its own derived slug', async () => {
    const results = await Promise.all(
      Array.from({ length: RACERS }, () =>
        t.rest('POST', '/v1/categories', { token: admin, body: { name: 'Rush Hour' } }),
      ),
    );
    expect(results.map((res) => res.statusCode)).toEqual(Array(RACERS).fill(201));
    const slugs = results.map((res) => res.json().data.slug as string);
    expect(new Set(slugs).size).toBe(RACERS);
    for (const slug of slugs) expect(slug).toMatch(/^rush-hour(-\d+)?$/);
  });

  it('all succeed over tRPC too', async () => {
    const client = t.trpc(admin, { batch: false });
    const created = await Promise.all(
      Array.from({ length: RACERS }, () => client.categories.create.mutate({ name: 'Same Time' })),
    );
    expect(new Set(created.map((category) => category.slug)).size).toBe(RACERS);
  });
});
