import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from '../../../apps/server/test/harness';
import { createRestClient } from '../src/rest';
import { newAccount } from './helpers';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

// These calls type-check against the generated rest-types.ts, so a drift between the document and the server fails here.
describe('the generated REST client against the real server', () => {
  it('registers, reads the profile with the access token, and lists a page', async () => {
    const anonymous = createRestClient({ baseUrl: t.url });
    const account = newAccount('rest');
    const registered = await anonymous.POST('/auth/register', { body: account });
    expect(registered.response.status).toBe(201);
    const tokens = registered.data!.data.tokens;
    expect(registered.data).toMatchObject({
      success: true,
      errors: [],
      data: { user: { email: account.email } },
    });

    const client = createRestClient({ baseUrl: t.url, accessToken: () => tokens.access_token });
    const profile = await client.GET('/users/profile');
    expect(profile.data?.data).toMatchObject({ email: account.email, username: account.username });

    const page = await client.GET('/categories', { params: { query: {} } });
    expect(page.response.status).toBe(200);
    expect(Array.isArray(page.data?.data)).toBe(true);
  });

  it('types failures as the error envelope', async () => {
    const client = createRestClient({ baseUrl: t.url });
    const result = await client.GET('/users/profile');
    expect(result.response.status).toBe(401);
    const codes: string[] | undefined = result.error?.errors.map((error) => error.code);
    expect(codes).toEqual(['UNAUTHORIZED']);
    expect(result.error).toMatchObject({ success: false, data: null, errors: [{ field: null }] });
  });
});
