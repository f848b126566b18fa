import { z } from 'zod';

import { noInput } from '../shared/schemas';
import { adminProcedure, router } from '../trpc';
import { apiKeySchema, createApiKeyInput, createdApiKeySchema, revokeApiKeyInput } from './schemas';
import { createApiKey, listApiKeys, revokeApiKey } from './service';

const TAGS = ['api-keys'];
const ADMIN_ERRORS = {
  400: 'Validation failed',
  401: 'Missing, expired or invalid token',
  403: 'Admins only (never an API key)',
  429: 'Rate limited',
};

/** Admins manage the keys third parties call with; no key can manage keys (scopes.ts). */
export const apiKeysRouter = router({
  list: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/api-keys',
        tags: TAGS,
        summary: 'Every API key, newest first, without secrets (admin)',
        errorResponses: ADMIN_ERRORS,
      },
    })
    .input(noInput)
    .output(z.array(apiKeySchema))
    .query(({ ctx }) => listApiKeys(ctx.db)),

  create: adminProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api-keys',
        tags: TAGS,
        summary: 'Create an API key; the 201 carries its secret, shown this once (admin)',
        errorResponses: ADMIN_ERRORS,
      },
      successStatus: 201,
    })
    .input(createApiKeyInput)
    .output(createdApiKeySchema)
    .mutation(({ ctx, input }) => createApiKey(ctx.db, ctx.user.id, input)),

  revoke: adminProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api-keys/{id}/revoke',
        tags: TAGS,
        summary: 'Revoke an API key: it stops working at once (admin)',
        errorResponses: { ...ADMIN_ERRORS, 404: 'No such API key' },
      },
    })
    .input(revokeApiKeyInput)
    .output(apiKeySchema)
    .mutation(({ ctx, input }) => revokeApiKey(ctx.db, input.id)),
});
