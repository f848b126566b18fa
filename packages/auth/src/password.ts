import { hash, verify } from '@node-rs/bcrypt';

/** bcrypt reads at most 72 bytes; longer passwords are refused, never silently truncated. */
export const MAX_PASSWORD_BYTES = 72;
export const MIN_PASSWORD_LENGTH = 8;

export const passwordByteLength = (password: string) => Buffer.byteLength(password, 'utf8');

/** Hashing runs on libuv's thread pool, so it never blocks the event loop. */
export function hashPassword(password: string, cost: number): Promise<string> {
  return hash(password, { cost });
}

/** The cost a bcrypt hash was made with (`$2b$10$...` is 10); NaN for anything else. */
export const bcryptCostOf = (hash: string) => Number(/^\$2[aby]?\$(\d{2})\$/.exec(hash)?.[1]);

/** True when a stored hash was made with another cost than the configured one: re-hash it at sign-in. */
export const needsRehash = (hash: string, cost: number) => bcryptCostOf(hash) !== cost;

/**
 * Verifies a password. With no stored hash (unknown email) it still runs one
 * bcrypt comparison against a throwaway hash of the configured cost, so a
 * wrong email and a wrong password take about as long. A stored hash of a
 * lower cost (made before BCRYPT_COST was raised) is compared while the dummy
 * comparison runs too, so its answer takes no less than an unknown email's
 * (sign-in then re-hashes it). A password over MAX_PASSWORD_BYTES never
 * matches (bcrypt would compare only its first 72 bytes), after the same
 * comparison, so it answers like a wrong password.
 */
export async function verifyPassword(
  password: string,
  storedHash: string | null,
  dummyHash: string,
) {
  const { target, padded } = comparisonsFor(password, storedHash, dummyHash);
  const [ok] = await Promise.all([
    verify(password, target),
    padded ? verify(password, dummyHash) : undefined,
  ]);
  return target === storedHash && ok;
}

/**
 * What `verifyPassword` compares: the hash whose answer counts (`target`),
 * and whether the dummy is compared beside it (`padded`: when the target costs
 * less than the dummy), so that no answer comes sooner than an unknown email's.
 */
export function comparisonsFor(password: string, storedHash: string | null, dummyHash: string) {
  const fits = passwordByteLength(password) <= MAX_PASSWORD_BYTES;
  const target = fits && storedHash !== null ? storedHash : dummyHash;
  const padded = !(bcryptCostOf(target) >= bcryptCostOf(dummyHash));
  return { target, padded };
}
