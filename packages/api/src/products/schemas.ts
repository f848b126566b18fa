import { IMAGE_VARIANT_STATES } from '@buybuy/db';
import { isPriceRangeReversed } from '@buybuy/validators';
import { z } from 'zod';

import {
  booleanFlag,
  exact,
  idSchema,
  moneyInput,
  moneySchema,
  pageSchema,
  paginationInput,
  timestampSchema,
} from '../shared/schemas';

/** Highest stock count the INT UNSIGNED column and the wire agree on. */
export const MAX_STOCK = 2 ** 31;
const MAX_IMAGES = 50;

export const productCategorySchema = z
  .object({ id: z.number().int(), name: z.string(), slug: z.string() })
  .meta({ id: 'ProductCategory' });

export const productImageSchema = z
  .object({
    id: z.number().int(),
    image_url: z.string(),
    thumbnail_url: z.string().nullable(),
    alt_text: z.string(),
    is_primary: z.boolean(),
    position: z.number().int(),
    // 'pending': an upload whose variants are still being made; meanwhile
    // image_url and thumbnail_url both show the original.
    variants: z.enum(IMAGE_VARIANT_STATES).meta({
      description:
        "Which variants exist: 'ready' (image_url is the display size, thumbnail_url the small one), 'pending' (an upload's variants are being made: both URLs show the original meanwhile), 'none' (an image hosted elsewhere)",
    }),
  })
  .meta({ id: 'ProductImage' });

const productFields = {
  id: z.number().int(),
  name: z.string(),
  description: z.string().nullable(),
  price: moneySchema,
  category_id: z.number().int(),
  stock_quantity: z.number().int(),
  is_active: z.boolean(),
  created_at: timestampSchema,
  updated_at: timestampSchema,
};

export const productSchema = z
  .object({
    ...productFields,
    category: productCategorySchema,
    images: z.array(productImageSchema),
  })
  .meta({ id: 'Product' });
export type ProductOutput = z.infer<typeof productSchema>;

export const productListItemSchema = z
  .object({
    ...productFields,
    category: productCategorySchema,
    primary_image: productImageSchema.nullable(),
  })
  .meta({ id: 'ProductListItem' });
export type ProductListItem = z.infer<typeof productListItemSchema>;

export const productPageSchema = pageSchema(productListItemSchema);

export const PRODUCT_SORTS = ['relevance', 'newest', 'price_asc', 'price_desc', 'name'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

export const listProductsInput = z
  .object({
    ...paginationInput,
    category_id: idSchema.optional(),
    min_price: moneyInput.optional(),
    max_price: moneyInput.optional(),
    search: z.string().trim().min(1).max(100).optional(),
    in_stock: booleanFlag.optional(),
    // Unset: by relevance when searching, else newest first. `relevance` without
    // a search (or with only words the index cannot hold) is newest first.
    sort: z.enum(PRODUCT_SORTS).optional(),
    include_inactive: booleanFlag.optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    // The forms check the same rule (@buybuy/validators) and word it for people.
    if (isPriceRangeReversed(input.min_price, input.max_price)) {
      ctx.addIssue({
        code: 'custom',
        path: ['min_price'],
        message: 'min_price must not be greater than max_price',
      });
    }
  });
export type ListProducts = z.output<typeof listProductsInput>;

const imageUrl = z.url({ protocol: /^https?$/ }).max(2048);

export const imageInput = z
  .object({
    image_url: imageUrl,
    thumbnail_url: imageUrl.nullable().optional(),
    alt_text: z.string().trim().max(255).optional(),
    is_primary: exact(z.boolean()).optional(),
  })
  .strict();
export type ImageInput = z.output<typeof imageInput>;

/** "At most one primary" is a business rule, checked in the service (products.service.ts). */
const imagesInput = z.array(imageInput).max(MAX_IMAGES);

export const createProductInput = z
  .object({
    name: z.string().trim().min(1).max(255),
    description: z.string().max(16_000).nullable().optional(),
    price: moneyInput,
    category_id: idSchema,
    stock_quantity: exact(z.number().int().min(0).max(MAX_STOCK)).optional(),
    is_active: exact(z.boolean()).optional(),
    images: imagesInput.optional(),
  })
  .strict();
export type CreateProduct = z.output<typeof createProductInput>;

export const updateProductInput = createProductInput.partial().extend({ id: idSchema }).strict();
export type UpdateProduct = Omit<z.output<typeof updateProductInput>, 'id'>;
