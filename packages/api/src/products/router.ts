import { z } from 'zod';

import { catalogRead } from '../cache/catalog';
import {
  ADMIN_ERRORS,
  catalogReadProcedure,
  catalogWrite,
  includeInactiveForAdmins,
  PUBLIC_ERRORS,
  PUBLIC_LIST_ERRORS,
} from '../catalog/access';
import { idParams } from '../shared/schemas';
import { router } from '../trpc';
import {
  createProductInput,
  listProductsInput,
  productPageSchema,
  productSchema,
  updateProductInput,
} from './schemas';
import { createProduct, deleteProduct, getProduct, listProducts, updateProduct } from './service';

const TAGS = ['products'];

export const productsRouter = router({
  list: catalogReadProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/products',
        tags: TAGS,
        summary: 'Search, filter and page through products',
        protect: false,
        errorResponses: PUBLIC_LIST_ERRORS,
      },
    })
    .input(listProductsInput)
    .use(includeInactiveForAdmins)
    .output(productPageSchema)
    .query(({ ctx, input }) => {
      const visibility = { includeInactive: input.include_inactive ?? false };
      return catalogRead(ctx, 'products.list', input, visibility, () =>
        listProducts(ctx.db, input, visibility),
      );
    }),

  byId: catalogReadProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/products/{id}',
        tags: TAGS,
        summary: 'A product with its category and images (primary first)',
        protect: false,
        errorResponses: { ...PUBLIC_ERRORS, 404: 'No such product' },
      },
    })
    .input(idParams)
    .output(productSchema)
    .query(({ ctx, input }) => {
      const visibility = { includeInactive: ctx.isAdmin };
      return catalogRead(ctx, 'products.byId', input, visibility, () =>
        getProduct(ctx.db, input.id, visibility),
      );
    }),

  create: catalogWrite
    .meta({
      openapi: {
        method: 'POST',
        path: '/products',
        tags: TAGS,
        summary: 'Create a product (admin)',
        errorResponses: ADMIN_ERRORS,
      },
      successStatus: 201,
    })
    .input(createProductInput)
    .output(productSchema)
    .mutation(({ ctx, input }) => createProduct(ctx.db, input, ctx.imageFiles)),

  update: catalogWrite
    .meta({
      openapi: {
        method: 'PUT',
        path: '/products/{id}',
        tags: TAGS,
        summary: 'Update a product; images, when given, replace the set (admin)',
        errorResponses: { ...ADMIN_ERRORS, 404: 'No such product' },
      },
    })
    .input(updateProductInput)
    .output(productSchema)
    .mutation(({ ctx, input: { id, ...changes } }) =>
      updateProduct(ctx.db, id, changes, ctx.imageFiles),
    ),

  delete: catalogWrite
    .meta({
      openapi: {
        method: 'DELETE',
        path: '/products/{id}',
        tags: TAGS,
        summary: 'Delete a product and its images (admin)',
        errorResponses: {
          ...ADMIN_ERRORS,
          404: 'No such product',
          409: 'Product is referenced by orders',
        },
      },
    })
    .input(idParams)
    .output(z.null())
    .mutation(({ ctx, input }) => deleteProduct(ctx.db, input.id, ctx.imageFiles)),
});
