import { z } from 'zod';

import { booleanFlag, exact, idSchema, timestampSchema } from '../shared/schemas';
import { SLUG_PATTERN } from './slug';

const name = z.string().trim().min(1).max(150);
const description = z.string().max(10_000).nullable();
const slug = z
  .string()
  .trim()
  .min(1)
  .max(160)
  .regex(SLUG_PATTERN, 'Use lower-case letters, digits and single hyphens, e.g. "summer-shoes"');

export const categorySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    slug: z.string(),
    parent_id: z.number().int().nullable(),
    is_active: z.boolean(),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'Category' });
export type CategoryOutput = z.infer<typeof categorySchema>;

export type CategoryNode = CategoryOutput & { children?: CategoryNode[] };

/** A category in `categories.list`: `children` is present (possibly empty) only when `tree=true`. */
export const categoryNodeSchema: z.ZodType<CategoryNode> = z
  .object({
    ...categorySchema.shape,
    get children() {
      return z.array(categoryNodeSchema).optional();
    },
  })
  .meta({ id: 'CategoryNode' });

export const categoryWithChildrenSchema = categorySchema
  .extend({ children: z.array(categorySchema) })
  .meta({ id: 'CategoryWithChildren' });

export const listCategoriesInput = z
  .object({
    tree: booleanFlag.optional(),
    include_inactive: booleanFlag.optional(),
  })
  .strict();

export const createCategoryInput = z
  .object({
    name,
    description: description.optional(),
    slug: slug.optional(),
    parent_id: idSchema.nullable().optional(),
    is_active: exact(z.boolean()).optional(),
  })
  .strict();
export type CreateCategory = z.output<typeof createCategoryInput>;

export const updateCategoryInput = createCategoryInput.partial().extend({ id: idSchema }).strict();
export type UpdateCategory = Omit<z.output<typeof updateCategoryInput>, 'id'>;
