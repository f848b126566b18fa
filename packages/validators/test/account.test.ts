import { describe, expect, it } from 'vitest';

import {
  emailSchema,
  MAX_PASSWORD_BYTES,
  passwordByteLength,
  passwordSchema,
  usernameSchema,
} from '../src';

const messages = (result: { error?: { issues: { message: string }[] } }) =>
  result.error?.issues.map((issue) => issue.message);

describe('emailSchema', () => {
  it('trims and lower-cases before checking', () => {
    expect(emailSchema.parse('  Sam@Example.COM ')).toBe('sam@example.com');
  });

  it('refuses what is not an address', () => {
    expect(messages(emailSchema.safeParse('sam@'))).toEqual(['Enter a valid email address']);
  });
});

describe('usernameSchema', () => {
  it('accepts letters, digits and _ . - from 3 characters', () => {
    expect(usernameSchema.parse(' sam.k_1-x ')).toBe('sam.k_1-x');
    expect(messages(usernameSchema.safeParse('sa'))).toEqual(['At least 3 characters']);
    expect(messages(usernameSchema.safeParse('sam k'))).toEqual([
      'Use letters, digits, and _ . - only',
    ]);
  });
});

describe('passwordSchema', () => {
  it('needs 8 characters and at most 72 bytes, counted as bcrypt counts them', () => {
    expect(messages(passwordSchema.safeParse('short'))).toEqual(['At least 8 characters']);
    expect(passwordSchema.safeParse('a'.repeat(72)).success).toBe(true);
    // 25 three-byte characters: 25 characters, 75 bytes.
    expect(messages(passwordSchema.safeParse('€'.repeat(25)))).toEqual([
      "At most 72 bytes (bcrypt's limit)",
    ]);
  });

  it('counts UTF-8 bytes as Node does, lone surrogates included', () => {
    for (const text of ['plain', 'Café crème', '€😀', '\ud800x', 'x\udfff']) {
      expect(passwordByteLength(text), JSON.stringify(text)).toBe(Buffer.byteLength(text, 'utf8'));
    }
    expect(MAX_PASSWORD_BYTES).toBe(72);
  });
});
