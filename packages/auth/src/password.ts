import { hash, verify } from '@node-rs/bcrypt';

/** bcrypt reads at most 72 bytes; longer passwords are refused, never silently truncated. */
export const MAX_PASSWORD_BYTES = 72;
export const MIN_PASSWORD_LENGTH = 8;

export const passwordByteLength = (password: string) => Buffer.byteLength(password, 'utf8');

/** Hashing runs on libuv's thread pool, so it never blocks the event loop. */
export function hashPassword(password: string, cost: number): Promise<string> {
  return hash(password, { cost });
}

/**
 * Verifies a password. With no stored hash (unknown email) it still runs one
 * bcrypt comparison against a throwaway hash of the same cost, so a wrong
 * email and a wrong password take about as long. A password over
 * MAX_PASSWORD_BYTES never matches (bcrypt would compare only its first 72
 * bytes), after the same comparison, so it answers like a wrong password.
 */
export async function verifyPassword(
  password: string,
  storedHash: string | null,
  dummyHash: string,
) {
  const fits = passwordByteLength(password) <= MAX_PASSWORD_BYTES;
  const ok = await verify(password, fits ? (storedHash ?? dummyHash) : dummyHash);
  return fits && storedHash !== null && ok;
}
