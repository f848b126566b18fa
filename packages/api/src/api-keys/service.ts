/**
 * API keys for third parties (issue 14).
 *
 * - A key is `bb_live_` and 32 random bytes (base64url). Only its SHA-256 is
 *   stored: with that much entropy a slow password hash protects nothing more,
 *   and a fast one keeps the look-up to one indexed equality per call.
 * - A key is a service principal acting for the admin who created it, within
 *   its scopes: a key of an admin who was deactivated or demoted stops working.
 * - `last_used_at` is written at most once a minute per key (a guarded UPDATE,
 *   so several servers still write once), never on every call.
 */
import { createHash, randomBytes } from 'node:crypto';

import { type ApiKeyRow, apiKeys, type Database, users } from '@buybuy/db';
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';

import { notFound, unauthorized } from '../errors';
import { toTimestamp } from '../shared/schemas';
import type { ApiKeyOutput, CreateApiKey } from './schemas';
import { type GrantableScope, isGrantable } from './scopes';

export const API_KEY_PREFIX = 'bb_live_';
const KEY_PATTERN = /^bb_live_[A-Za-z0-9_-]{43}$/;
/** Characters of the key kept in clear to recognise it: `bb_live_` and four of the secret. */
const SHOWN_PREFIX_LENGTH = API_KEY_PREFIX.length + 4;
const LAST_USED_EVERY_MS = 60_000;

export const looksLikeApiKey = (token: string) => token.startsWith(API_KEY_PREFIX);
const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** The caller behind a valid key. */
export interface ApiKeyPrincipal {
  id: number;
  prefix: string;
  scopes: readonly GrantableScope[];
  /** The admin the key acts for. */
  createdBy: { id: number; username: string; email: string };
}

function statusOf(row: Pick<ApiKeyRow, 'expires_at' | 'revoked_at'>, now = new Date()) {
  if (row.revoked_at) return 'revoked' as const;
  if (row.expires_at && row.expires_at <= now) return 'expired' as const;
  return 'active' as const;
}

const toOutput = (row: ApiKeyRow): ApiKeyOutput => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  scopes: row.scopes.filter(isGrantable),
  created_by: row.created_by,
  created_at: toTimestamp(row.created_at),
  expires_at: row.expires_at && toTimestamp(row.expires_at),
  revoked_at: row.revoked_at && toTimestamp(row.revoked_at),
  last_used_at: row.last_used_at && toTimestamp(row.last_used_at),
  status: statusOf(row),
});

async function getKeyRow(db: Database, id: number): Promise<ApiKeyRow> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
  if (!row) throw notFound('API key');
  return row;
}

export async function listApiKeys(db: Database): Promise<ApiKeyOutput[]> {
  const rows = await db.select().from(apiKeys).orderBy(desc(apiKeys.created_at), desc(apiKeys.id));
  return rows.map(toOutput);
}

/** Creates a key; the answer carries the whole key, which is never readable again. */
export async function createApiKey(db: Database, adminId: number, input: CreateApiKey) {
  const secret = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  const [{ id }] = (await db
    .insert(apiKeys)
    .values({
      name: input.name,
      prefix: secret.slice(0, SHOWN_PREFIX_LENGTH),
      secret_hash: hashSecret(secret),
      scopes: input.scopes,
      created_by: adminId,
      expires_at: input.expires_at ? new Date(input.expires_at) : null,
    })
    .$returningId()) as [{ id: number }];
  return { ...toOutput(await getKeyRow(db, id)), secret };
}

/** Revokes a key at once (a second revoke keeps the first time). */
export async function revokeApiKey(db: Database, id: number): Promise<ApiKeyOutput> {
  await getKeyRow(db, id);
  await db
    .update(apiKeys)
    .set({ revoked_at: new Date() })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revoked_at)));
  return toOutput(await getKeyRow(db, id));
}

/** The principal behind a presented key, or the 401 that says why there is none. */
export async function verifyApiKey(db: Database, secret: string): Promise<ApiKeyPrincipal> {
  if (!KEY_PATTERN.test(secret)) throw unauthorized('INVALID_API_KEY', 'Malformed API key');
  const [found] = await db
    .select({
      key: apiKeys,
      user: {
        id: users.id,
        username: users.username,
        email: users.email,
        is_staff: users.is_staff,
        is_active: users.is_active,
      },
    })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.created_by))
    .where(eq(apiKeys.secret_hash, hashSecret(secret)));
  if (!found) throw unauthorized('INVALID_API_KEY', 'Unknown API key');
  const { key, user } = found;
  const now = new Date();
  const status = statusOf(key, now);
  if (status === 'revoked') throw unauthorized('API_KEY_REVOKED', 'This API key was revoked');
  if (status === 'expired') throw unauthorized('API_KEY_EXPIRED', 'This API key has expired');
  if (!user.is_active || !user.is_staff)
    throw unauthorized('API_KEY_REVOKED', "This API key's creator is no longer an active admin");
  await recordUse(db, key, now);
  return {
    id: key.id,
    prefix: key.prefix,
    scopes: key.scopes.filter(isGrantable),
    createdBy: { id: user.id, username: user.username, email: user.email },
  };
}

/** At most one write a minute per key; the WHERE keeps it so across servers too. */
async function recordUse(db: Database, key: ApiKeyRow, now: Date) {
  const since = new Date(now.getTime() - LAST_USED_EVERY_MS);
  if (key.last_used_at && key.last_used_at > since) return;
  await db
    .update(apiKeys)
    .set({ last_used_at: now })
    .where(
      and(
        eq(apiKeys.id, key.id),
        or(isNull(apiKeys.last_used_at), lt(apiKeys.last_used_at, since)),
      ),
    );
}
