import { webcrypto } from 'node:crypto';

import { errors, jwtVerify, SignJWT } from 'jose';

import { AuthError } from './errors';

const ISSUER = 'buybuy';
const AUDIENCE = 'buybuy-api';

export interface AccessTokenClaims {
  userId: number;
  /** The session family the token belongs to; it dies with the session. */
  sessionId: string;
}

export function createAccessTokens(secret: string, ttlSeconds: number) {
  // Imported once, on first use: given the secret's bytes, jose imports a
  // WebCrypto key on every sign and verify, about a tenth of a signed-in
  // request's CPU.
  let imported: Promise<webcrypto.CryptoKey> | undefined;
  const signingKey = () =>
    (imported ??= webcrypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    ));
  return {
    ttlSeconds,
    async sign(claims: AccessTokenClaims): Promise<string> {
      return new SignJWT({ sid: claims.sessionId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(String(claims.userId))
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(await signingKey());
    },
    async verify(token: string): Promise<AccessTokenClaims> {
      // Outside the try: a key that cannot be imported is the server's fault, not the token's.
      const key = await signingKey();
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: ISSUER,
          audience: AUDIENCE,
          algorithms: ['HS256'],
        });
        const userId = Number(payload.sub);
        if (!Number.isSafeInteger(userId) || userId <= 0 || typeof payload.sid !== 'string') {
          throw new AuthError('INVALID_TOKEN', 'Access token is invalid');
        }
        return { userId, sessionId: payload.sid };
      } catch (error) {
        if (error instanceof AuthError) throw error;
        if (error instanceof errors.JWTExpired) {
          throw new AuthError('TOKEN_EXPIRED', 'Access token has expired, refresh it');
        }
        throw new AuthError('INVALID_TOKEN', 'Access token is invalid');
      }
    },
  };
}
