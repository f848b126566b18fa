import { MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH, passwordByteLength } from '@buybuy/auth';
import { z } from 'zod';
import { userSchema } from '../users/schemas';

/** Emails are trimmed and lower-cased before anything else sees them. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('Enter a valid email address').max(254));

export const usernameSchema = z
  .string()
  .trim()
  .min(3, 'At least 3 characters')
  .max(150)
  .regex(/^[A-Za-z0-9_.-]+$/, 'Use letters, digits, and _ . - only');

/** bcrypt reads 72 bytes: longer passwords are refused rather than silently truncated. */
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `At least ${MIN_PASSWORD_LENGTH} characters`)
  .refine((password) => passwordByteLength(password) <= MAX_PASSWORD_BYTES, {
    message: `At most ${MAX_PASSWORD_BYTES} bytes (bcrypt's limit)`,
  });

export const registerInput = z
  .object({
    username: usernameSchema,
    email: emailSchema,
    password: passwordSchema,
    first_name: z.string().trim().max(150).optional(),
    last_name: z.string().trim().max(150).optional(),
  })
  .strict();

export const loginInput = z
  .object({ email: emailSchema, password: z.string().min(1).max(1024) })
  .strict();

export const refreshInput = z.object({ refresh_token: z.string().min(1).max(512) }).strict();

export const tokensSchema = z
  .object({
    access_token: z.string(),
    refresh_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int().meta({ description: 'Seconds until the access token expires' }),
  })
  .meta({ id: 'Tokens' });

export const sessionSchema = z
  .object({ user: userSchema, tokens: tokensSchema })
  .meta({ id: 'AuthSession' });
