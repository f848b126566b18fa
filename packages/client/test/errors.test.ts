import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from '../../../apps/server/test/harness';
import {
  type BuyBuyErrorData,
  createBuyBuyClient,
  errorsOf,
  errorsOutsideFields,
  fieldErrorsOf,
  firstErrorMessage,
  isRetryable,
  isUnauthenticated,
  isUnreachable,
  retryAfterOf,
} from '../src';

/** A tRPC client error as the server's error formatter shapes it. */
function answered(data: Partial<BuyBuyErrorData>, message = 'Failed') {
  return TRPCClientError.from({ error: { code: -32600, message, data } });
}

const validation = answered({
  code: 'VALIDATION',
  httpStatus: 400,
  errors: [
    { field: 'price', code: 'VALIDATION', message: 'Too many decimals' },
    { field: 'price', code: 'VALIDATION', message: 'Second opinion' },
    { field: 'images.0.alt_text', code: 'VALIDATION', message: 'Too long' },
    { field: null, code: 'VALIDATION', message: 'Check the form' },
  ],
});

describe('reading the server error list', () => {
  it('keys field errors by path, the first message of each field winning', () => {
    expect(fieldErrorsOf(validation)).toEqual({
      price: 'Too many decimals',
      'images.0.alt_text': 'Too long',
    });
    expect(firstErrorMessage(validation)).toBe('Too many decimals');
  });

  it('lists the errors of no shown field, those of no field included', () => {
    expect(errorsOutsideFields(validation, ['price']).map((entry) => entry.message)).toEqual([
      'Too long',
      'Check the form',
    ]);
  });

  it('finds nothing in errors that are not the server answering', () => {
    for (const error of [new Error('boom'), new TypeError('Failed to fetch'), null, 'text']) {
      expect(errorsOf(error)).toEqual([]);
      expect(fieldErrorsOf(error)).toEqual({});
      expect(firstErrorMessage(error)).toBeUndefined();
    }
  });
});

describe('telling failures apart', () => {
  it('calls a failure unreachable only when no server answer came back', () => {
    expect(isUnreachable(new TypeError('Failed to fetch'))).toBe(true);
    expect(isUnreachable(TRPCClientError.from(new TypeError('Failed to fetch')))).toBe(true);
    // A proxy's HTML 502: a tRPC error, but without the server's data.
    expect(isUnreachable(answered({}))).toBe(true);
    expect(isUnreachable(validation)).toBe(false);
    expect(isUnreachable(new Error('boom'))).toBe(false);
  });

  it('offers another try only where one could go differently', () => {
    expect(isRetryable(new TypeError('Failed to fetch'))).toBe(true);
    expect(isRetryable(answered({}))).toBe(true);
    for (const status of [500, 503, 408, 429]) {
      expect(isRetryable(answered({ code: 'X', httpStatus: status })), String(status)).toBe(true);
    }
    expect(isRetryable(validation)).toBe(false);
    for (const status of [401, 403, 404, 409, 422]) {
      expect(isRetryable(answered({ code: 'X', httpStatus: status })), String(status)).toBe(false);
    }
    // A bug in the page, not the server's answer: trying again would not help.
    expect(isRetryable(new Error('boom'))).toBe(false);
  });

  it('knows a refused sign-in (401) and the wait a rate limit asks for', () => {
    expect(isUnauthenticated(answered({ code: 'TOKEN_EXPIRED', httpStatus: 401 }))).toBe(true);
    expect(isUnauthenticated(answered({ code: 'FORBIDDEN', httpStatus: 403 }))).toBe(false);
    expect(isUnauthenticated(new Error('401'))).toBe(false);
    const limited = answered({ code: 'RATE_LIMITED', httpStatus: 429, retryAfter: 7 });
    expect(retryAfterOf(limited)).toBe(7);
    expect(retryAfterOf(validation)).toBeUndefined();
  });
});

describe('against the real server', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('reads the field errors of a refused registration and tells an anonymous call apart', async () => {
    const client = createBuyBuyClient({ baseUrl: t.url });
    const refused = await client.auth.register
      .mutate({ username: 'x', email: 'not-an-address', password: 'short' })
      .catch((error: unknown) => error);
    expect(Object.keys(fieldErrorsOf(refused)).sort()).toEqual(['email', 'password', 'username']);
    expect(isUnreachable(refused)).toBe(false);

    const anonymous = await client.users.profile.query({}).catch((error: unknown) => error);
    expect(isUnauthenticated(anonymous)).toBe(true);
  });
});
