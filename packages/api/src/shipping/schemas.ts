import { z } from 'zod';

import {
  booleanFlag,
  exact,
  idSchema,
  moneyInput,
  moneySchema,
  timestampSchema,
} from '../shared/schemas';

export const shippingMethodSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    price: moneySchema,
    is_active: z.boolean(),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .meta({ id: 'ShippingMethod' });
export type ShippingMethodOutput = z.infer<typeof shippingMethodSchema>;

export const shippingMethodListSchema = z.array(shippingMethodSchema);

export const listShippingMethodsInput = z
  .object({ include_inactive: booleanFlag.optional() })
  .strict();

export const createShippingMethodInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    price: moneyInput,
    is_active: exact(z.boolean()).optional(),
  })
  .strict();
export type CreateShippingMethod = z.output<typeof createShippingMethodInput>;

export const updateShippingMethodInput = createShippingMethodInput
  .partial()
  .extend({ id: idSchema })
  .strict();
export type UpdateShippingMethod = Omit<z.output<typeof updateShippingMethodInput>, 'id'>;
