import { createHash, createHmac, randomBytes } from 'node:crypto';

import {
  type Database,
  type Executor,
  prepared,
  rotatedRefreshTokens,
  sessions,
  users,
} from '@buybuy/db';
import { DrizzleMySQLAdapter } from '@lucia-auth/adapter-drizzle';
import { and, eq, gt, inArray, ne, sql } from 'drizzle-orm';
import { Lucia, TimeSpan } from 'lucia';

import { AuthError } from './errors';

/** The database keeps only this hash of a refresh token, never the token. */
export const hashRefreshToken = (token: string) => createHash('sha256').update(token).digest('hex');

const newRefreshToken = () => randomBytes(32).toString('base64url');
const newFamilyId = () => randomBytes(16).toString('hex');

/** The user of a session that has not expired, if it is theirs (`findLive`). */
const liveSessionStatement = prepared(
  (db: Database) =>
    db
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
          eq(sessions.familyId, sql.placeholder('familyId')),
          eq(sessions.userId, sql.placeholder('userId')),
          gt(sessions.expiresAt, sql.placeholder('now')),
        ),
      )
      .limit(1)
      .prepare(),
  () => '',
);

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
 * Ends every session of a user at once: each family's live refresh token (and
 * so every access token naming it) and the hashes of its rotated tokens, so
 * an old token answers INVALID_TOKEN rather than looking like reuse. Takes a
 * transaction so the caller can do it in the same one as the change that
 * requires it (deactivating the account, a new password). `except` keeps one
 * family: the caller's own, when they changed their password themselves.
 * Returns how many sessions ended.
 */
export async function revokeUserSessions(
  db: Executor,
  userId: number,
  options: { except?: string } = {},
) {
  const ofUser = options.except
    ? and(eq(sessions.userId, userId), ne(sessions.familyId, options.except))
    : eq(sessions.userId, userId);
  const families = await db
    .selectDistinct({ familyId: sessions.familyId })
    .from(sessions)
    .where(ofUser);
  const [deleted] = await db.delete(sessions).where(ofUser);
  if (families.length > 0) {
    await db.delete(rotatedRefreshTokens).where(
      inArray(
        rotatedRefreshTokens.family_id,
        families.map(({ familyId }) => familyId),
      ),
    );
  }
  return deleted.affectedRows;
}

/** How long a just-rotated refresh token still answers with its successor (two tabs, a retried request). */
export const REFRESH_GRACE_SECONDS = 30;

const reused = () =>
  new AuthError('REFRESH_TOKEN_REUSED', 'Refresh token was already used; the session is revoked');

/**
 * Refresh-token sessions. A session family starts at sign-in and lives on
 * through rotations; each rotation retires the presented token (its hash is
 * kept), and presenting a retired token again revokes the whole family.
 *
 * The successor of a token is HMAC(secret, token), not fresh randomness, so
 * a token presented again within REFRESH_GRACE_SECONDS of its rotation can be
 * answered with the same successor by any instance, while the database keeps
 * only hashes and nothing has to cache the new pair. Only a holder of the old
 * token and the server secret can compute it, and only the grace window
 * honours it: later, the old token is plain reuse and revokes the family.
 */
export function createSessionStore(
  db: Database,
  options: { ttlDays: number; secret: string; graceSeconds?: number },
) {
  const lucia = createLucia(db, options.ttlDays);
  const ttlMs = options.ttlDays * 24 * 3600 * 1000;
  const graceMs = (options.graceSeconds ?? REFRESH_GRACE_SECONDS) * 1000;
  const successorKey = createHmac('sha256', options.secret).update('refresh-successor').digest();
  const successorOf = (token: string) =>
    createHmac('sha256', successorKey).update(token).digest('base64url');

  const revoke = async (familyId: string) => {
    await db.delete(sessions).where(eq(sessions.familyId, familyId));
  };

  /**
   * A token that is no longer live: within the grace window after its own
   * rotation, and while its successor is still live, it gets that successor
   * again; otherwise a retired token revokes its family.
   */
  async function regrant(refreshToken: string, hash: string): Promise<IssuedSession> {
    const [retired] = await db
      .select({
        familyId: rotatedRefreshTokens.family_id,
        expiresAt: rotatedRefreshTokens.expires_at,
      })
      .from(rotatedRefreshTokens)
      .where(eq(rotatedRefreshTokens.token_hash, hash));
    if (!retired) throw new AuthError('INVALID_TOKEN', 'Refresh token is invalid or expired');

    // A retired row expires one session lifetime after its rotation.
    const rotatedAt = retired.expiresAt.getTime() - ttlMs;
    const successor = successorOf(refreshToken);
    if (Date.now() - rotatedAt <= graceMs) {
      const [live] = await db
        .select({ userId: sessions.userId })
        .from(sessions)
        .where(
          and(
            eq(sessions.id, hashRefreshToken(successor)),
            eq(sessions.familyId, retired.familyId),
            gt(sessions.expiresAt, new Date()),
          ),
        );
      if (live) return { refreshToken: successor, familyId: retired.familyId, userId: live.userId };
    }
    await revoke(retired.familyId);
    throw reused();
  }

  /** Retires a live token for `next`; undefined when a concurrent rotation retired it first. */
  async function rotateLive(
    session: { userId: number; familyId: string },
    hash: string,
    next: string,
  ): Promise<IssuedSession | undefined> {
    const won = await db.transaction(async (tx) => {
      // Only one of two concurrent rotations of the same token may delete it.
      const [deleted] = await tx.delete(sessions).where(eq(sessions.id, hash));
      if (deleted.affectedRows !== 1) return false;
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
      return true;
    });
    return won
      ? { refreshToken: next, familyId: session.familyId, userId: session.userId }
      : undefined;
  }

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

    /** Exchanges a refresh token for its successor in the same family, atomically. */
    async rotate(refreshToken: string): Promise<IssuedSession> {
      const hash = hashRefreshToken(refreshToken);
      const { session } = await lucia.validateSession(hash);
      // Losing a race with a concurrent rotation of the same token is a retry: the grace covers it.
      const issued =
        (session && (await rotateLive(session, hash, successorOf(refreshToken)))) ??
        (await regrant(refreshToken, hash));

      // A deactivated account keeps no session: refusing the refresh alone would leave it live.
      const [owner] = await db
        .select({ is_active: users.is_active })
        .from(users)
        .where(eq(users.id, issued.userId));
      if (!owner?.is_active) {
        await revoke(issued.familyId);
        throw new AuthError('ACCOUNT_DISABLED', 'This account is disabled');
      }
      return issued;
    },

    /** Ends a session family: its refresh token and every access token naming it stop working. */
    revoke,

    /** The live session family's user, for access-token checks. */
    /** Every signed-in request asks this: built once, then only executed. */
    async findLive(familyId: string, userId: number) {
      const [row] = await liveSessionStatement(db, undefined).execute({
        familyId,
        userId,
        now: new Date(),
      });
      return row;
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
