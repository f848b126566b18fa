import { z } from 'zod';

export const MIN_USERNAME_LENGTH = 3;
export const MIN_PASSWORD_LENGTH = 8;
/** bcrypt reads 72 bytes: longer passwords are refused rather than silently truncated. */
export const MAX_PASSWORD_BYTES = 72;

const utf8 = new TextEncoder();
/** Bytes of the password in UTF-8, as bcrypt counts them (works in browsers and Node alike). */
export const passwordByteLength = (password: string) => utf8.encode(password).length;

/** Emails are trimmed and lower-cased before anything else sees them. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('Enter a valid email address').max(254));

export const usernameSchema = z
  .string()
  .trim()
  .min(MIN_USERNAME_LENGTH, `At least ${MIN_USERNAME_LENGTH} characters`)
  .max(150)
  .regex(/^[A-Za-z0-9_.-]+$/, 'Use letters, digits, and _ . - only');

export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `At least ${MIN_PASSWORD_LENGTH} characters`)
  .refine((password) => passwordByteLength(password) <= MAX_PASSWORD_BYTES, {
    message: `At most ${MAX_PASSWORD_BYTES} bytes (bcrypt's limit)`,
  });
