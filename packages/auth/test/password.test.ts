import { describe, expect, it } from 'vitest';

import { hashPassword, verifyPassword } from '../src/password';

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
