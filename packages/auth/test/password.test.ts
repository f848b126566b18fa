import { describe, expect, it } from 'vitest';

import { bcryptCostOf, hashPassword, needsRehash, verifyPassword } from '../src/password';

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

/** The median time of a few runs, in ms. */
async function medianMs(run: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[2]!;
}

describe('verifyPassword timing', () => {
  it('takes no less for an account hashed at a lower cost than for an unknown email', async () => {
    const cheap = await hashPassword('the real password', 4);
    const dummy = await hashPassword('dummy', 10);
    const unknown = await medianMs(() => verifyPassword('a guess', null, dummy));
    const lowCost = await medianMs(() => verifyPassword('a guess', cheap, dummy));
    expect(lowCost).toBeGreaterThan(unknown * 0.6);
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
