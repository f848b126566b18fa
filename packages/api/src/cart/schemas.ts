import { z } from 'zod';

import { productImageSchema } from '../products/schemas';
import { exact, idSchema, moneySchema } from '../shared/schemas';

/** Most units of one product a cart line (and so an order line) may hold. */
export const MAX_LINE_QUANTITY = 9_999;

/** The header a guest's cart token travels in, both ways. */
export const CART_TOKEN_HEADER = 'x-cart-token';

export const cartLineSchema = z
  .object({
    product_id: z.number().int(),
    name: z.string(),
    /** The product's current price: a cart is priced when read, an order when placed. */
    unit_price: moneySchema,
    quantity: z.number().int(),
    line_total: moneySchema,
    stock_quantity: z.number().int().meta({
      description: 'How many can be ordered now (0 when the product is not available)',
    }),
    is_available: z.boolean().meta({
      description: 'Active, in a visible category and in stock',
    }),
    primary_image: productImageSchema.nullable(),
  })
  .meta({ id: 'CartLine' });
export type CartLine = z.infer<typeof cartLineSchema>;

export const cartSchema = z
  .object({
    items: z.array(cartLineSchema),
    subtotal: moneySchema,
    currency: z.string().length(3),
    item_count: z.number().int().meta({ description: 'Units in the cart (sum of quantities)' }),
    cart_token: z.string().optional().meta({
      description:
        "Only when this call created a guest cart: send it back in X-Cart-Token; it is the cart's only key",
    }),
  })
  .meta({ id: 'Cart' });
export type CartOutput = z.infer<typeof cartSchema>;

const quantity = (min: number) => exact(z.number().int().min(min).max(MAX_LINE_QUANTITY));

export const addCartItemInput = z.object({ product_id: idSchema, quantity: quantity(1) }).strict();
export type AddCartItem = z.output<typeof addCartItemInput>;

export const updateCartItemInput = z
  .object({ product_id: idSchema, quantity: quantity(0) })
  .strict();

export const cartItemParams = z.object({ product_id: idSchema }).strict();
