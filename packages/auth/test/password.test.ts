import { describe, expect, it } from 'vitest';

import {
  bcryptCostOf,
  comparisonsFor,
  hashPassword,
  needsRehash,
  verifyPassword,
} from '../src/password';

describe('verifyPassword', () => {
  it('accepts the password and refuses another', async () => {
    const stored = await hashPassword('a'.repeat(72), 4);
    const dummy = await hashPassword('dummy', 4);
    expect(await verifyPassword('a'.repeat(72), stored, dummy)).toBe(true);
    expect(await verifyPassword('a'.repeat(71), stored, dummy)).toBe(false);
  });

  it('refuses a password over 72 bytes that bcrypt alone would accept on its first 72', async () => {
    const stored = await hashPassword('a'.repeat(72), 4);
    const dummy = await hashPassword('dummy', 4);
    expect(await verifyPassword(`${'a'.repeat(72)}appended`, stored, dummy)).toBe(false);
  });
});

describe('the comparisons behind a verification (what keeps its time the same)', () => {
  it('compares the dummy beside an account hashed at a lower cost, and only then', async () => {
    const cheap = await hashPassword('the real password', 4);
    const dummy = await hashPassword('dummy', 10);
    const current = await hashPassword('the real password', 10);
    // Unknown email: the dummy alone, at the configured cost.
    expect(comparisonsFor('a guess', null, dummy)).toEqual({ target: dummy, padded: false });
    // A hash made before BCRYPT_COST was raised: it counts, and the dummy runs beside it.
    expect(comparisonsFor('a guess', cheap, dummy)).toEqual({ target: cheap, padded: true });
    // A hash of the configured cost takes as long as the dummy by itself.
    expect(comparisonsFor('a guess', current, dummy)).toEqual({ target: current, padded: false });
    // Too long to be checked: compared against the dummy, never the account's hash.
    expect(comparisonsFor('x'.repeat(73), current, dummy)).toEqual({
      target: dummy,
      padded: false,
    });
  });
});

describe('needsRehash', () => {
  it('is true exactly when the stored cost differs from the configured one', async () => {
    const hash = await hashPassword('a password', 5);
    expect(bcryptCostOf(hash)).toBe(5);
    expect(needsRehash(hash, 5)).toBe(false);
    expect(needsRehash(hash, 4)).toBe(true);
    expect(needsRehash('not-a-hash', 4)).toBe(true);
  });
});
