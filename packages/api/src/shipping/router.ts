import { z } from 'zod';

import {
  ADMIN_ERRORS,
  catalogReadProcedure,
  catalogWrite,
  includeInactiveForAdmins,
  PUBLIC_LIST_ERRORS,
} from '../catalog/access';
import { idParams } from '../shared/schemas';
import { router } from '../trpc';
import {
  createShippingMethodInput,
  listShippingMethodsInput,
  shippingMethodListSchema,
  shippingMethodSchema,
  updateShippingMethodInput,
} from './schemas';
import {
  createShippingMethod,
  deleteShippingMethod,
  listShippingMethods,
  updateShippingMethod,
} from './service';

const TAGS = ['shipping'];

/**
 * The public list is a public GET like the catalog's, so the HTTP layers may
 * cache it per catalog generation: the admin writes bump it (catalogWrite).
 */
export const shippingMethodsRouter = router({
  list: catalogReadProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/shipping-methods',
        tags: TAGS,
        summary: 'Shipping methods, cheapest first (admins may include inactive ones)',
        protect: false,
        errorResponses: PUBLIC_LIST_ERRORS,
      },
    })
    .input(listShippingMethodsInput)
    .use(includeInactiveForAdmins)
    .output(shippingMethodListSchema)
    .query(({ ctx, input }) =>
      listShippingMethods(ctx.db, { includeInactive: input.include_inactive ?? false }),
    ),

  create: catalogWrite
    .meta({
      openapi: {
        method: 'POST',
        path: '/shipping-methods',
        tags: TAGS,
        summary: 'Create a flat-rate shipping method (admin)',
        errorResponses: ADMIN_ERRORS,
      },
      successStatus: 201,
    })
    .input(createShippingMethodInput)
    .output(shippingMethodSchema)
    .mutation(({ ctx, input }) => createShippingMethod(ctx.db, input)),

  update: catalogWrite
    .meta({
      openapi: {
        method: 'PUT',
        path: '/shipping-methods/{id}',
        tags: TAGS,
        summary:
          'Update a shipping method; orders keep the name and price they were placed with (admin)',
        errorResponses: { ...ADMIN_ERRORS, 404: 'No such shipping method' },
      },
    })
    .input(updateShippingMethodInput)
    .output(shippingMethodSchema)
    .mutation(({ ctx, input: { id, ...changes } }) => updateShippingMethod(ctx.db, id, changes)),

  delete: catalogWrite
    .meta({
      openapi: {
        method: 'DELETE',
        path: '/shipping-methods/{id}',
        tags: TAGS,
        summary: 'Delete a shipping method; its orders keep their copy of it (admin)',
        errorResponses: { ...ADMIN_ERRORS, 404: 'No such shipping method' },
      },
    })
    .input(idParams)
    .output(z.null())
    .mutation(({ ctx, input }) => deleteShippingMethod(ctx.db, input.id)),
});
