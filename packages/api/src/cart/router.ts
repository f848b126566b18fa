import { z } from 'zod';

import { noInput } from '../shared/schemas';
import { type Context, publicProcedure, router } from '../trpc';
import {
  addCartItemInput,
  CART_TOKEN_HEADER,
  cartItemParams,
  cartSchema,
  updateCartItemInput,
} from './schemas';
import {
  addCartItem,
  type CartOwner,
  clearCart,
  getCart,
  mergeGuestCart,
  removeCartItem,
  updateCartItem,
} from './service';

const TAGS = ['cart'];

/** Documents the guest's cart token on every cart operation. */
export const cartTokenHeader = z.object({
  [CART_TOKEN_HEADER]: z.string().optional().meta({
    description:
      "A guest's cart token, as returned in cart_token by the first add. Ignored once signed in (the guest cart is then merged into the user's).",
  }),
});

const CART_ERRORS = {
  400: 'Validation failed',
  401: 'Invalid token',
  429: 'Rate limited',
};
const CHANGE_ERRORS = {
  ...CART_ERRORS,
  404: 'The product is not in the cart',
  409: 'OUT_OF_STOCK or PRODUCT_UNAVAILABLE, at items.N.quantity',
};

/**
 * Whose cart a call works on. A signed-in caller who still sends a guest
 * token (the one they shopped with before signing in) gets that cart merged
 * into theirs first: so the guest cart merges at login whichever call comes
 * first, and a token already merged costs one look-up.
 */
export async function cartOwner(ctx: Context): Promise<CartOwner> {
  const viewer = await ctx.viewer();
  if (!viewer) return { token: ctx.cartToken };
  if (ctx.cartToken) await mergeGuestCart(ctx.db, ctx.cartToken, viewer.id, ctx.shop);
  return { userId: viewer.id };
}

export const cartRouter = router({
  get: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/cart',
        tags: TAGS,
        summary: "The caller's cart (the user's, else the guest's named by X-Cart-Token)",
        protect: false,
        requestHeaders: cartTokenHeader,
        errorResponses: CART_ERRORS,
      },
    })
    .input(noInput)
    .output(cartSchema)
    .query(async ({ ctx }) => getCart(ctx.db, await cartOwner(ctx), ctx.shop)),

  addItem: publicProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/cart/items',
        tags: TAGS,
        summary:
          'Add a quantity of a product; a guest without a token gets a new cart and its cart_token',
        protect: false,
        requestHeaders: cartTokenHeader,
        errorResponses: {
          ...CART_ERRORS,
          409: 'OUT_OF_STOCK (at quantity) or PRODUCT_UNAVAILABLE (at product_id)',
        },
      },
    })
    .input(addCartItemInput)
    .output(cartSchema)
    .mutation(async ({ ctx, input }) => addCartItem(ctx.db, await cartOwner(ctx), input, ctx.shop)),

  updateItem: publicProcedure
    .meta({
      openapi: {
        method: 'PUT',
        path: '/cart/items/{product_id}',
        tags: TAGS,
        summary: "Set a line's quantity (0 removes it)",
        protect: false,
        requestHeaders: cartTokenHeader,
        errorResponses: CHANGE_ERRORS,
      },
    })
    .input(updateCartItemInput)
    .output(cartSchema)
    .mutation(async ({ ctx, input }) =>
      updateCartItem(ctx.db, await cartOwner(ctx), input.product_id, input.quantity, ctx.shop),
    ),

  removeItem: publicProcedure
    .meta({
      openapi: {
        method: 'DELETE',
        path: '/cart/items/{product_id}',
        tags: TAGS,
        summary: "Remove a product's line (not an error when it is not there)",
        protect: false,
        requestHeaders: cartTokenHeader,
        errorResponses: CART_ERRORS,
      },
    })
    .input(cartItemParams)
    .output(cartSchema)
    .mutation(async ({ ctx, input }) =>
      removeCartItem(ctx.db, await cartOwner(ctx), input.product_id, ctx.shop),
    ),

  clear: publicProcedure
    .meta({
      openapi: {
        method: 'DELETE',
        path: '/cart',
        tags: TAGS,
        summary: 'Empty the cart (a guest keeps the same token)',
        protect: false,
        requestHeaders: cartTokenHeader,
        errorResponses: CART_ERRORS,
      },
    })
    .input(noInput)
    .output(cartSchema)
    .mutation(async ({ ctx }) => clearCart(ctx.db, await cartOwner(ctx), ctx.shop)),
});
