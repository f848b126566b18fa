import { emailSchema, passwordSchema } from '@buybuy/validators';
import { z } from 'zod';

import { exact, idSchema, pageSchema, paginationInput, timestampSchema } from '../shared/schemas';

const name = z.string().trim().max(150);

export const profileFieldsSchema = z.object({
  phone: z
    .string()
    .trim()
    .max(32)
    .regex(/^[0-9+()\-. ]*$/, 'Use digits, spaces and + ( ) - . only'),
  address: z.string().trim().max(255),
  city: z.string().trim().max(120),
  country: z.string().trim().max(120),
});

/** A user as it appears on the wire: never the password hash. */
export const userSchema = z
  .object({
    id: z.number().int(),
    username: z.string(),
    email: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    is_active: z.boolean(),
    is_staff: z.boolean(),
    email_verified_at: timestampSchema.nullable().meta({
      description:
        'When the owner confirmed the address through the emailed link; null: not yet (they may still sign in and order)',
    }),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'User' });
export type UserOutput = z.infer<typeof userSchema>;

export const profileSchema = profileFieldsSchema.meta({ id: 'Profile' });

export const userWithProfileSchema = userSchema
  .extend({ profile: profileSchema })
  .meta({ id: 'UserWithProfile' });

export const updateProfileInput = z
  .object({ first_name: name, last_name: name })
  .extend(profileFieldsSchema.shape)
  .partial()
  .strict();

export const listUsersInput = z
  .object({
    ...paginationInput,
    search: z.string().trim().min(1).max(100).optional(),
  })
  .strict();

export const userPageSchema = pageSchema(userSchema);

/** One user as an admin sees it: the profile, and what deactivating or promoting would touch. */
export const userDetailSchema = userWithProfileSchema
  .extend({
    order_count: z.number().int().meta({ description: 'Orders placed while signed in' }),
    session_count: z.number().int().meta({
      description: 'Live sessions (signed-in devices); deactivating ends them all at once',
    }),
  })
  .meta({ id: 'UserDetail' });
export type UserDetail = z.infer<typeof userDetailSchema>;

/**
 * An admin's change to a user's access: activate or deactivate, grant or
 * revoke admin. Partial like the other updates; the rules are in the service.
 */
export const updateUserInput = z
  .object({
    id: idSchema,
    is_active: exact(z.boolean())
      .optional()
      .meta({ description: 'false deactivates the user and ends every session at once' }),
    is_staff: exact(z.boolean())
      .optional()
      .meta({ description: 'true grants admin, false revokes it' }),
  })
  .strict();
export type UserAccessChange = Omit<z.output<typeof updateUserInput>, 'id'>;

/** What proves the caller is the account's owner, beyond an open session. */
const currentPassword = z.string().min(1).max(1024);

export const changePasswordInput = z
  .object({ current_password: currentPassword, new_password: passwordSchema })
  .strict();

export const emailChangeInput = z
  .object({ new_email: emailSchema, current_password: currentPassword })
  .strict();
