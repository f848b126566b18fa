import { createHash, randomBytes } from 'node:crypto';

/**
 * Bearer tokens for things a guest owns (a cart, an order): 32 random bytes,
 * base64url. Only their SHA-256 is stored, like the sessions' refresh tokens,
 * so the database never holds a usable token.
 */
export const newToken = () => randomBytes(32).toString('base64url');

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
