import { emailSchema, passwordSchema, usernameSchema } from '@buybuy/validators';
import { z } from 'zod';

import { timestampSchema } from '../shared/schemas';
import { userSchema } from '../users/schemas';

// The account rules are shared with the storefront's forms.
export { emailSchema, passwordSchema, usernameSchema };

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

/** The token of an emailed link, as the storefront page read it from `?token=`. */
const linkToken = z
  .string()
  .min(1)
  .max(128)
  .meta({ description: 'The `token` of the emailed link' });

export const passwordResetRequestInput = z.object({ email: emailSchema }).strict();

export const passwordResetInput = z.object({ token: linkToken, password: passwordSchema }).strict();

export const linkTokenInput = z.object({ token: linkToken }).strict();

export const emailStatusSchema = z
  .object({
    email: z.string(),
    email_verified_at: timestampSchema.nullable(),
  })
  .meta({ id: 'EmailStatus' });
