import { z } from 'zod';

import {
  MAX_PASSWORD_BYTES,
  MIN_PASSWORD_LENGTH,
  MIN_USERNAME_LENGTH,
  passwordByteLength,
} from './limits';

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
