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
  categoryNodeSchema,
  categorySchema,
  categoryWithChildrenSchema,
  createCategoryInput,
  listCategoriesInput,
  updateCategoryInput,
} from './schemas';
import {
  createCategory,
  deleteCategory,
  getCategory,
  listCategories,
  updateCategory,
} from './service';

const TAGS = ['categories'];

export const categoriesRouter = router({
  list: catalogReadProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/categories',
        tags: TAGS,
        summary: 'List categories (flat, or nested with tree=true)',
        protect: false,
        errorResponses: PUBLIC_LIST_ERRORS,
      },
    })
    .input(listCategoriesInput)
    .use(includeInactiveForAdmins)
    .output(z.array(categoryNodeSchema))
    .query(({ ctx, input }) => {
      const options = {
        tree: input.tree ?? false,
        includeInactive: input.include_inactive ?? false,
      };
      return catalogRead(ctx, 'categories.list', input, options, () =>
        listCategories(ctx.db, options),
      );
    }),

  byId: catalogReadProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/categories/{id}',
        tags: TAGS,
        summary: 'A category with its direct children',
        protect: false,
        errorResponses: { ...PUBLIC_ERRORS, 404: 'No such category' },
      },
    })
    .input(idParams)
    .output(categoryWithChildrenSchema)
    .query(({ ctx, input }) => {
      const visibility = { includeInactive: ctx.isAdmin };
      return catalogRead(ctx, 'categories.byId', input, visibility, () =>
        getCategory(ctx.db, input.id, visibility),
      );
    }),

  create: catalogWrite
    .meta({
      openapi: {
        method: 'POST',
        path: '/categories',
        tags: TAGS,
        summary: 'Create a category (admin)',
        errorResponses: { ...ADMIN_ERRORS, 409: 'Slug taken' },
      },
      successStatus: 201,
    })
    .input(createCategoryInput)
    .output(categorySchema)
    .mutation(({ ctx, input }) => createCategory(ctx.db, input)),

  update: catalogWrite
    .meta({
      openapi: {
        method: 'PUT',
        path: '/categories/{id}',
        tags: TAGS,
        summary: 'Update a category (admin)',
        errorResponses: { ...ADMIN_ERRORS, 404: 'No such category', 409: 'Slug taken' },
      },
    })
    .input(updateCategoryInput)
    .output(categorySchema)
    .mutation(({ ctx, input: { id, ...changes } }) => updateCategory(ctx.db, id, changes)),

  delete: catalogWrite
    .meta({
      openapi: {
        method: 'DELETE',
        path: '/categories/{id}',
        tags: TAGS,
        summary: 'Delete an empty category (admin)',
        errorResponses: {
          ...ADMIN_ERRORS,
          404: 'No such category',
          409: 'Category still has subcategories or products',
        },
      },
    })
    .input(idParams)
    .output(z.null())
    .mutation(({ ctx, input }) => deleteCategory(ctx.db, input.id)),
});
