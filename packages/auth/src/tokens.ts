import { createSigner, createVerifier, TokenError } from 'fast-jwt';

import { AuthError } from './errors';

const ISSUER = 'buybuy';
const AUDIENCE = 'buybuy-api';

export interface AccessTokenClaims {
  userId: number;
  /** The session family the token belongs to; it dies with the session. */
  sessionId: string;
}

/**
 * HS256 access tokens through fast-jwt (the JWT library under @fastify/jwt):
 * node:crypto's HMAC, synchronous. jose verified through WebCrypto, about
 * 100 µs a check on these VMs against 10 (docs/benchmarks.md, "Signed-in
 * pages"), on every signed-in request. The tokens are plain RFC 7519 JWTs
 * either way, so tokens issued before the switch still verify.
 */
export function createAccessTokens(secret: string, ttlSeconds: number) {
  const signer = createSigner({
    key: secret,
    algorithm: 'HS256',
    iss: ISSUER,
    aud: AUDIENCE,
    expiresIn: ttlSeconds * 1000,
  });
  const verifier = createVerifier({
    key: secret,
    algorithms: ['HS256'],
    allowedIss: ISSUER,
    allowedAud: AUDIENCE,
    requiredClaims: ['exp'],
  });
  return {
    ttlSeconds,
    // Kept async, as its callers use it; fast-jwt signs synchronously.
    async sign(claims: AccessTokenClaims): Promise<string> {
      return signer({ sid: claims.sessionId, sub: String(claims.userId) });
    },
    async verify(token: string): Promise<AccessTokenClaims> {
      let payload: { sub?: unknown; sid?: unknown };
      try {
        payload = verifier(token);
      } catch (error) {
        // Anything but a TokenError is the server's fault, not the token's.
        if (!(error instanceof TokenError)) throw error;
        if (error.code === TokenError.codes.expired) {
          throw new AuthError('TOKEN_EXPIRED', 'Access token has expired, refresh it');
        }
        throw new AuthError('INVALID_TOKEN', 'Access token is invalid');
      }
      const userId = Number(payload.sub);
      if (!Number.isSafeInteger(userId) || userId <= 0 || typeof payload.sid !== 'string') {
        throw new AuthError('INVALID_TOKEN', 'Access token is invalid');
      }
      return { userId, sessionId: payload.sid };
    },
  };
}
