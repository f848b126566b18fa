import type { Database } from '@buybuy/db';

import { AuthError } from './errors';
import { hashPassword, needsRehash, verifyPassword } from './password';
import { createSessionStore } from './sessions';
import { createAccessTokens } from './tokens';

export interface AuthOptions {
  db: Database;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  bcryptCost: number;
  /** How long a just-rotated refresh token still returns its successor; REFRESH_GRACE_SECONDS by default. */
  refreshGraceSeconds?: number;
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export interface AuthenticatedUser {
  id: number;
  username: string;
  email: string;
  is_staff: boolean;
  session_id: string;
}

/**
 * Passwords, sessions and tokens. Business rules (who may register, what a
 * user looks like on the wire) live in the api package; this is the
 * machinery it calls.
 */
export function createAuth(options: AuthOptions) {
  const sessions = createSessionStore(options.db, {
    ttlDays: options.refreshTokenTtlDays,
    secret: options.jwtSecret,
    graceSeconds: options.refreshGraceSeconds,
  });
  const accessTokens = createAccessTokens(options.jwtSecret, options.accessTokenTtlSeconds);
  // Compared against when the email is unknown, so that answer takes as long as a wrong password.
  const dummyHash = hashPassword('not-a-real-password', options.bcryptCost);
  dummyHash.catch(() => {}); // surfaced on first use instead

  const tokensFor = async (session: {
    refreshToken: string;
    familyId: string;
    userId: number;
  }): Promise<Tokens> => ({
    access_token: await accessTokens.sign({ userId: session.userId, sessionId: session.familyId }),
    refresh_token: session.refreshToken,
    token_type: 'Bearer',
    expires_in: accessTokens.ttlSeconds,
  });

  return {
    hashPassword: (password: string) => hashPassword(password, options.bcryptCost),

    verifyPassword: async (password: string, storedHash: string | null) =>
      verifyPassword(password, storedHash, await dummyHash),

    /** A stored hash made with another cost than BCRYPT_COST, to re-hash once the password is known. */
    needsRehash: (storedHash: string) => needsRehash(storedHash, options.bcryptCost),

    /** Starts a new session family for a user who just proved who they are. */
    signIn: async (userId: number): Promise<Tokens> => tokensFor(await sessions.start(userId)),

    /**
     * Rotates a refresh token; reuse of a retired one revokes its family,
     * except within the grace period, which answers with the same successor.
     */
    refresh: async (refreshToken: string): Promise<Tokens> =>
      tokensFor(await sessions.rotate(refreshToken)),

    signOut: (sessionId: string) => sessions.revoke(sessionId),

    /** Checks an access token's signature and expiry, and that its session still lives. */
    async authenticate(accessToken: string): Promise<AuthenticatedUser> {
      const claims = await accessTokens.verify(accessToken);
      const user = await sessions.findLive(claims.sessionId, claims.userId);
      if (!user) throw new AuthError('SESSION_REVOKED', 'This session has ended, sign in again');
      if (!user.is_active) throw new AuthError('ACCOUNT_DISABLED', 'This account is disabled');
      return {
        id: user.id,
        username: user.username,
        email: user.email,
        is_staff: user.is_staff,
        session_id: claims.sessionId,
      };
    },
  };
}

export type Auth = ReturnType<typeof createAuth>;
