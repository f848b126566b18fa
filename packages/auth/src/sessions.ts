import { createHash, randomBytes } from 'node:crypto';

import { type Database, rotatedRefreshTokens, sessions, users } from '@buybuy/db';
import { DrizzleMySQLAdapter } from '@lucia-auth/adapter-drizzle';
import { and, eq, gt } from 'drizzle-orm';
import { Lucia, TimeSpan } from 'lucia';

import { AuthError } from './errors';

/** The database keeps only this hash of a refresh token, never the token. */
export const hashRefreshToken = (token: string) => createHash('sha256').update(token).digest('hex');

const newRefreshToken = () => randomBytes(32).toString('base64url');
const newFamilyId = () => randomBytes(16).toString('hex');

export function createLucia(db: Database, ttlDays: number) {
  return new Lucia(new DrizzleMySQLAdapter(db, sessions, users), {
    sessionExpiresIn: new TimeSpan(ttlDays, 'd'),
    getSessionAttributes: (attributes) => ({ familyId: attributes.familyId }),
  });
}

declare module 'lucia' {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    UserId: number;
    DatabaseSessionAttributes: { familyId: string };
  }
}

export interface IssuedSession {
  refreshToken: string;
  familyId: string;
  userId: number;
}

/**
 * Refresh-token sessions. A session family starts at sign-in and lives on
 * through rotations; each rotation retires the presented token (its hash is
 * kept), and presenting a retired token again revokes the whole family.
 */
export function createSessionStore(db: Database, ttlDays: number) {
  const lucia = createLucia(db, ttlDays);
  const ttlMs = ttlDays * 24 * 3600 * 1000;

  return {
    async start(userId: number): Promise<IssuedSession> {
      const refreshToken = newRefreshToken();
      const familyId = newFamilyId();
      await lucia.createSession(
        userId,
        { familyId },
        { sessionId: hashRefreshToken(refreshToken) },
      );
      return { refreshToken, familyId, userId };
    },

    /** Exchanges a refresh token for a new one in the same family, atomically. */
    async rotate(refreshToken: string): Promise<IssuedSession> {
      const hash = hashRefreshToken(refreshToken);
      const { session } = await lucia.validateSession(hash);
      if (!session) {
        const [retired] = await db
          .select({ familyId: rotatedRefreshTokens.family_id })
          .from(rotatedRefreshTokens)
          .where(eq(rotatedRefreshTokens.token_hash, hash));
        if (retired) {
          await this.revoke(retired.familyId);
          throw new AuthError(
            'REFRESH_TOKEN_REUSED',
            'Refresh token was already used; the session is revoked',
          );
        }
        throw new AuthError('INVALID_TOKEN', 'Refresh token is invalid or expired');
      }

      // A deactivated account keeps no session: refusing the refresh alone would leave it live.
      const [owner] = await db
        .select({ is_active: users.is_active })
        .from(users)
        .where(eq(users.id, session.userId));
      if (!owner?.is_active) {
        await this.revoke(session.familyId);
        throw new AuthError('ACCOUNT_DISABLED', 'This account is disabled');
      }

      const next = newRefreshToken();
      const reused = await db.transaction(async (tx) => {
        // Only one of two concurrent rotations of the same token may delete it.
        const [deleted] = await tx.delete(sessions).where(eq(sessions.id, hash));
        if (deleted.affectedRows !== 1) return true;
        await tx.insert(rotatedRefreshTokens).values({
          token_hash: hash,
          family_id: session.familyId,
          expires_at: new Date(Date.now() + ttlMs),
        });
        await tx.insert(sessions).values({
          id: hashRefreshToken(next),
          userId: session.userId,
          familyId: session.familyId,
          expiresAt: new Date(Date.now() + ttlMs),
        });
        return false;
      });
      if (reused) {
        await this.revoke(session.familyId);
        throw new AuthError(
          'REFRESH_TOKEN_REUSED',
          'Refresh token was already used; the session is revoked',
        );
      }
      return { refreshToken: next, familyId: session.familyId, userId: session.userId };
    },

    /** Ends a session family: its refresh token and every access token naming it stop working. */
    async revoke(familyId: string): Promise<void> {
      await db.delete(sessions).where(eq(sessions.familyId, familyId));
    },

    /** The live session family's user, for access-token checks. */
    async findLive(familyId: string, userId: number) {
      const [row] = await db
        .select({
          id: users.id,
          username: users.username,
          email: users.email,
          is_staff: users.is_staff,
          is_active: users.is_active,
        })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(
          and(
            eq(sessions.familyId, familyId),
            eq(sessions.userId, userId),
            gt(sessions.expiresAt, new Date()),
          ),
        )
        .limit(1);
      return row;
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
