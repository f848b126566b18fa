import { z } from 'zod';

import { idParams, timestampSchema } from '../shared/schemas';
import { GRANTABLE_SCOPES } from './scopes';

export const scopeSchema = z.enum(GRANTABLE_SCOPES).meta({ id: 'ApiKeyScope' });

/** A key as an admin sees it: never the secret, only its prefix. */
export const apiKeySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    prefix: z.string().meta({ description: 'The first characters of the key, to recognise it' }),
    scopes: z.array(scopeSchema),
    created_by: z.number().int(),
    created_at: timestampSchema,
    expires_at: timestampSchema.nullable(),
    revoked_at: timestampSchema.nullable(),
    last_used_at: timestampSchema
      .nullable()
      .meta({ description: 'Recorded at most once a minute per key' }),
    status: z.enum(['active', 'expired', 'revoked']),
  })
  .meta({ id: 'ApiKey' });
export type ApiKeyOutput = z.infer<typeof apiKeySchema>;

export const createdApiKeySchema = apiKeySchema
  .extend({
    secret: z.string().meta({
      description: 'The whole key (bb_live_…). Shown this once: only its hash is stored.',
    }),
  })
  .meta({ id: 'CreatedApiKey' });

export const createApiKeyInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    scopes: z
      .array(scopeSchema)
      .min(1)
      .refine((scopes) => new Set(scopes).size === scopes.length, 'List each scope once'),
    expires_at: z.iso
      .datetime()
      .refine((value) => Date.parse(value) > Date.now(), 'Must be in the future')
      .nullable()
      .optional(),
  })
  .strict();
export type CreateApiKey = z.infer<typeof createApiKeyInput>;

export const revokeApiKeyInput = idParams;
