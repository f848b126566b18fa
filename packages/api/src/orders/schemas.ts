import { ORDER_STATUSES } from '@buybuy/db';
import { z } from 'zod';

import { emailSchema } from '../auth/schemas';
import {
  idSchema,
  moneySchema,
  pageSchema,
  paginationInput,
  timestampSchema,
} from '../shared/schemas';

/** The header a guest's order token travels in. */
export const ORDER_TOKEN_HEADER = 'x-order-token';

export const orderStatusSchema = z.enum(ORDER_STATUSES).meta({ id: 'OrderStatus' });

/** Required text: messages a person can act on, not zod's "Too small". */
const text = (max: number) =>
  z
    .string({ error: 'Required' })
    .trim()
    .min(1, { error: 'Required' })
    .max(max, { error: `At most ${max} characters` });
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `At most ${max} characters` })
    .nullable()
    .optional()
    .transform((value) => value || null);

export const shippingAddressInput = z
  .object({
    full_name: text(200),
    line1: text(255),
    line2: optionalText(255),
    city: text(120),
    postal_code: text(20),
    country: text(120),
    phone: optionalText(32),
  })
  .strict();

export const shippingAddressSchema = z
  .object({
    full_name: z.string(),
    line1: z.string(),
    line2: z.string().nullable(),
    city: z.string(),
    postal_code: z.string(),
    country: z.string(),
    phone: z.string().nullable(),
  })
  .meta({ id: 'ShippingAddress' });

export const placeOrderInput = z
  .object({
    email: emailSchema,
    shipping_address: shippingAddressInput,
    shipping_method_id: idSchema,
  })
  .strict();
export type PlaceOrder = z.output<typeof placeOrderInput>;

export const orderItemSchema = z
  .object({
    /** Null once the product has been deleted; the line keeps its name and price. */
    product_id: z.number().int().nullable(),
    name: z.string(),
    unit_price: moneySchema,
    quantity: z.number().int(),
    line_total: moneySchema,
  })
  .meta({ id: 'OrderItem' });

export const orderHistoryEntrySchema = z
  .object({
    from_status: orderStatusSchema.nullable(),
    to_status: orderStatusSchema,
    actor: z.string().meta({ description: "'customer', 'admin:<user id>' or 'system'" }),
    note: z.string().nullable(),
    created_at: timestampSchema,
  })
  .meta({ id: 'OrderHistoryEntry' });

/** An order as stored: what every service reads and returns. */
const orderRecordSchema = z.object({
  id: z.number().int(),
  number: z.string().meta({ example: 'BB-7K2M9QXD' }),
  status: orderStatusSchema,
  email: z.string(),
  items: z.array(orderItemSchema),
  subtotal: moneySchema,
  shipping_total: moneySchema,
  total: moneySchema,
  currency: z.string().length(3),
  shipping_address: shippingAddressSchema,
  shipping_method: z.object({
    /** Null once the method has been deleted; name and price are as ordered. */
    id: z.number().int().nullable(),
    name: z.string(),
    price: moneySchema,
  }),
  payment_provider: z.string(),
  tracking_number: z.string().nullable(),
  history: z.array(orderHistoryEntrySchema),
  created_at: timestampSchema,
  updated_at: timestampSchema,
});
export type OrderOutput = z.infer<typeof orderRecordSchema>;

/** What can be done to an order: `POST /orders/{id}/<action>`. */
export const ORDER_ACTIONS = ['pay', 'ship', 'deliver', 'cancel', 'refund'] as const;
export type OrderActionName = (typeof ORDER_ACTIONS)[number];

/** An order as answered: with what the caller may do to it now, so apps need no copy of the lifecycle. */
export const orderSchema = orderRecordSchema
  .extend({
    actions: z.array(z.enum(ORDER_ACTIONS)).meta({
      description:
        "The actions the caller may take now, given the order's status and who is asking (the lifecycle in orders/lifecycle.ts)",
    }),
  })
  .meta({ id: 'Order' });
export type OrderView = z.infer<typeof orderSchema>;

export const placedOrderSchema = orderSchema
  .extend({
    order_token: z.string().meta({
      description:
        'Shown once: send it as X-Order-Token to read or cancel this order without signing in',
    }),
    payment_instructions: z.string(),
  })
  .meta({ id: 'PlacedOrder' });
export type PlacedOrder = Omit<z.infer<typeof placedOrderSchema>, 'actions'>;

export const orderSummarySchema = z
  .object({
    id: z.number().int(),
    number: z.string(),
    status: orderStatusSchema,
    email: z.string(),
    item_count: z.number().int(),
    subtotal: moneySchema,
    shipping_total: moneySchema,
    total: moneySchema,
    currency: z.string().length(3),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'OrderSummary' });
export type OrderSummary = z.infer<typeof orderSummarySchema>;

export const orderPageSchema = pageSchema(orderSummarySchema);

/** A date ("2026-11-29", the whole day) or an instant ("2026-11-29T10:00:00Z"). */
const dateBound = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .meta({ description: 'A date (YYYY-MM-DD, the whole day, UTC) or an ISO-8601 instant' });

export const listOrdersInput = z
  .object({
    ...paginationInput,
    status: orderStatusSchema.optional(),
    email: emailSchema.optional(),
    number: z.string().trim().toUpperCase().min(1).max(16).optional(),
    created_from: dateBound.optional(),
    created_to: dateBound.optional(),
  })
  .strict();
export type ListOrders = z.output<typeof listOrdersInput>;

const note = z.string().trim().max(500).optional();

export const orderActionInput = z.object({ id: idSchema, note }).strict();
export type OrderAction = Omit<z.output<typeof orderActionInput>, 'id'>;

export const shipOrderInput = z
  .object({ id: idSchema, note, tracking_number: z.string().trim().min(1).max(100).optional() })
  .strict();
export type ShipOrder = Omit<z.output<typeof shipOrderInput>, 'id'>;
