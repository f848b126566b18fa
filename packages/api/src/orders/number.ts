import { randomBytes } from 'node:crypto';

// Crockford's base32: no I, L, O or U, so a number read aloud or retyped survives.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * "BB-" and 8 characters from 40 random bits (about 10^12 values): short
 * enough to read on the phone, and nothing to learn from a neighbour's
 * number. Uniqueness is the database's job (orders_number_unique); checkout
 * draws again on the rare collision.
 */
export function newOrderNumber(): string {
  let bits = BigInt(`0x${randomBytes(5).toString('hex')}`);
  let chars = '';
  for (let i = 0; i < 8; i++) {
    chars = ALPHABET[Number(bits & 31n)]! + chars;
    bits >>= 5n;
  }
  return `BB-${chars}`;
}

export const ORDER_NUMBER_PATTERN = /^BB-[0-9A-HJKMNP-TV-Z]{8}$/;
