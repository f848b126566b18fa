import { describe, expect, it } from 'vitest';

import { AuthError } from '../src/errors';
import { createAccessTokens } from '../src/tokens';

const secret = 'a-test-secret-that-is-at-least-32-characters';

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: unknown) => (error instanceof AuthError ? error.code : `unexpected: ${String(error)}`),
  );

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access tokens', () => {
  const tokens = createAccessTokens(secret, 900);

  it('round-trip the user and the session they name', async () => {
    const token = await tokens.sign({ userId: 42, sessionId: 'family-1' });
    expect(await tokens.verify(token)).toEqual({ userId: 42, sessionId: 'family-1' });
  });

  it('refuse an unsigned ("alg: none") token', async () => {
    const forged = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: '1', sid: 'x', iss: 'buybuy', aud: 'buybuy-api', exp: 4102444800 })}.`;
    expect(await codeOf(tokens.verify(forged))).toBe('INVALID_TOKEN');
  });

  it('refuse a token whose payload was edited after signing', async () => {
    const [header, , signature] = (await tokens.sign({ userId: 1, sessionId: 's' })).split('.');
    const edited = `${header}.${b64({ sub: '2', sid: 's', iss: 'buybuy', aud: 'buybuy-api', exp: 4102444800 })}.${signature}`;
    expect(await codeOf(tokens.verify(edited))).toBe('INVALID_TOKEN');
  });

  it('refuse a token signed with another secret', async () => {
    const other = createAccessTokens('another-secret-that-is-32-characters-long', 900);
    expect(await codeOf(tokens.verify(await other.sign({ userId: 1, sessionId: 's' })))).toBe(
      'INVALID_TOKEN',
    );
  });

  it('call an expired token TOKEN_EXPIRED, not invalid', async () => {
    const expired = createAccessTokens(secret, -10);
    expect(await codeOf(tokens.verify(await expired.sign({ userId: 1, sessionId: 's' })))).toBe(
      'TOKEN_EXPIRED',
    );
  });
});
