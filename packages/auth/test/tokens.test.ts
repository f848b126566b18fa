import { createHmac } from 'node:crypto';

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

/** A JWT built from its parts with node:crypto, as any RFC 7519 library would sign it. */
function handMade(payload: object, { alg = 'HS256', key = secret } = {}): string {
  const signed = `${b64({ alg, typ: 'JWT' })}.${b64(payload)}`;
  const hmac = createHmac(alg === 'HS512' ? 'sha512' : 'sha256', key);
  return `${signed}.${hmac.update(signed).digest('base64url')}`;
}

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
const claims = () => ({
  sub: '7',
  sid: 'family-7',
  iss: 'buybuy',
  aud: 'buybuy-api',
  exp: inAnHour(),
});

describe('access tokens', () => {
  const tokens = createAccessTokens(secret, 900);

  it('round-trip the user and the session they name', async () => {
    const token = await tokens.sign({ userId: 42, sessionId: 'family-1' });
    expect(await tokens.verify(token)).toEqual({ userId: 42, sessionId: 'family-1' });
  });

  it('refuse what is not a token at all, as invalid rather than as a server error', async () => {
    for (const token of ['', 'garbage', 'a.b.c', '..', `${b64({ alg: 'HS256' })}.not-json.x`]) {
      expect(await codeOf(tokens.verify(token))).toBe('INVALID_TOKEN');
    }
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

  it('accept any standard HS256 JWT with our claims (tokens issued before a library change)', async () => {
    expect(await tokens.verify(handMade(claims()))).toEqual({ userId: 7, sessionId: 'family-7' });
  });

  it('refuse another issuer, another audience, another algorithm, and a token that never expires', async () => {
    const { exp: _exp, ...forever } = claims();
    const refused = [
      handMade({ ...claims(), iss: 'someone-else' }),
      handMade({ ...claims(), aud: 'another-api' }),
      handMade(claims(), { alg: 'HS512' }),
      handMade(forever),
      handMade({ ...claims(), sub: 'seven' }),
      handMade({ ...claims(), sid: 7 }),
    ];
    for (const token of refused) expect(await codeOf(tokens.verify(token))).toBe('INVALID_TOKEN');
  });

  it('call an expired token TOKEN_EXPIRED, not invalid', async () => {
    const expired = createAccessTokens(secret, -10);
    expect(await codeOf(tokens.verify(await expired.sign({ userId: 1, sessionId: 's' })))).toBe(
      'TOKEN_EXPIRED',
    );
  });
});
