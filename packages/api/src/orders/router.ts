import { z } from 'zod';

import { invalidatesCatalog } from '../cache/catalog';
import { cartOwner, cartTokenHeader } from '../cart/router';
import { idParams } from '../shared/schemas';
import { adminProcedure, authedProcedure, type Context, publicProcedure, router } from '../trpc';
import { placeOrder } from './checkout';
import {
  allowedActions,
  cancelOrder,
  deliverOrder,
  markOrderPaid,
  refundOrder,
  shipOrder,
} from './lifecycle';
import {
  listOrdersInput,
  ORDER_TOKEN_HEADER,
  orderActionInput,
  type OrderOutput,
  orderPageSchema,
  orderSchema,
  placedOrderSchema,
  placeOrderInput,
  shipOrderInput,
} from './schemas';
import { getOrder, listOrders, type OrderAccess } from './service';

const TAGS = ['orders'];

const orderTokenHeader = z.object({
  [ORDER_TOKEN_HEADER]: z.string().optional().meta({
    description: "The order_token the order's 201 returned: lets a guest read and cancel it",
  }),
});

const OWNER_ERRORS = {
  400: 'Validation failed',
  401: 'Invalid token',
  404: 'No such order, or not yours',
  429: 'Rate limited',
};
const ADMIN_ACTION_ERRORS = {
  400: 'Validation failed',
  401: 'Missing, expired or invalid token',
  403: 'Admins only',
  404: 'No such order',
  409: "INVALID_TRANSITION: the order's status does not allow it",
  429: 'Rate limited',
};

const access = async (ctx: Context): Promise<OrderAccess> => ({
  viewer: await ctx.viewer(),
  orderToken: ctx.orderToken,
});

/** The order as answered to this caller: with the actions they may take now. */
async function view<T extends OrderOutput>(ctx: Context, order: T) {
  const viewer = await ctx.viewer();
  return { ...order, actions: allowedActions(order.status, viewer?.is_staff === true) };
}

/** Writes that move stock (checkout, cancel, refund) bump the catalog generation, like catalog writes. */
const stockWrite = publicProcedure.use(invalidatesCatalog);

/** An admin action on one order: `POST /orders/{id}/<action>`, `{note?}`. */
const adminAction = (action: string, summary: string) =>
  adminProcedure.meta({
    openapi: {
      method: 'POST',
      path: `/orders/{id}/${action}`,
      tags: TAGS,
      summary,
      errorResponses: ADMIN_ACTION_ERRORS,
    },
  });

export const ordersRouter = router({
  place: stockWrite
    .meta({
      openapi: {
        method: 'POST',
        path: '/orders',
        tags: TAGS,
        summary:
          "Place an order from the caller's cart; the 201 carries the order_token (shown once)",
        protect: false,
        requestHeaders: cartTokenHeader,
        errorResponses: {
          400: 'Validation failed, or SHIPPING_METHOD_NOT_FOUND',
          401: 'Invalid token',
          409: 'CART_EMPTY, or OUT_OF_STOCK / PRODUCT_UNAVAILABLE at items.N.quantity',
          429: 'Rate limited',
        },
      },
      successStatus: 201,
    })
    .input(placeOrderInput)
    .output(placedOrderSchema)
    .mutation(async ({ ctx, input }) => {
      const placed = await placeOrder(ctx.db, await cartOwner(ctx), input, ctx.shop);
      await ctx.emails.orderPlaced(placed);
      return view(ctx, placed);
    }),

  list: authedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/orders',
        tags: TAGS,
        summary: "The caller's orders, newest first; admins see every order and may filter",
        errorResponses: {
          400: 'Validation failed',
          401: 'Missing, expired or invalid token',
          429: 'Rate limited',
        },
      },
    })
    .input(listOrdersInput)
    .output(orderPageSchema)
    .query(({ ctx, input }) => listOrders(ctx.db, ctx.user, input)),

  byId: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/orders/{id}',
        tags: TAGS,
        summary: 'An order with its lines and history: for its owner (or X-Order-Token) and admins',
        protect: false,
        requestHeaders: orderTokenHeader,
        errorResponses: OWNER_ERRORS,
      },
    })
    .input(idParams)
    .output(orderSchema)
    .query(async ({ ctx, input }) =>
      view(ctx, await getOrder(ctx.db, input.id, await access(ctx))),
    ),

  cancel: stockWrite
    .meta({
      openapi: {
        method: 'POST',
        path: '/orders/{id}/cancel',
        tags: TAGS,
        summary: 'Cancel: the owner while pending_payment, an admin until shipped; restocks',
        protect: false,
        requestHeaders: orderTokenHeader,
        errorResponses: {
          ...OWNER_ERRORS,
          409: "INVALID_TRANSITION: the order's status does not allow it",
        },
      },
    })
    .input(orderActionInput)
    .output(orderSchema)
    .mutation(async ({ ctx, input: { id, ...rest } }) =>
      view(ctx, await cancelOrder(ctx.db, id, await access(ctx), rest)),
    ),

  markPaid: adminAction('pay', 'Mark a pending_payment order paid (manual payments, admin)')
    .input(orderActionInput)
    .output(orderSchema)
    .mutation(async ({ ctx, input: { id, ...rest } }) =>
      view(ctx, await markOrderPaid(ctx.db, id, { kind: 'admin', userId: ctx.user.id }, rest)),
    ),

  ship: adminAction('ship', 'Ship a paid order, with an optional tracking number (admin)')
    .input(shipOrderInput)
    .output(orderSchema)
    .mutation(async ({ ctx, input: { id, ...rest } }) =>
      view(ctx, await shipOrder(ctx.db, id, { kind: 'admin', userId: ctx.user.id }, rest)),
    ),

  deliver: adminAction('deliver', 'Mark a shipped order delivered (admin)')
    .input(orderActionInput)
    .output(orderSchema)
    .mutation(async ({ ctx, input: { id, ...rest } }) =>
      view(ctx, await deliverOrder(ctx.db, id, { kind: 'admin', userId: ctx.user.id }, rest)),
    ),

  refund: adminAction('refund', 'Refund a paid, shipped or delivered order; restocks (admin)')
    .use(invalidatesCatalog)
    .input(orderActionInput)
    .output(orderSchema)
    .mutation(async ({ ctx, input: { id, ...rest } }) =>
      view(ctx, await refundOrder(ctx.db, id, { kind: 'admin', userId: ctx.user.id }, rest)),
    ),
});
