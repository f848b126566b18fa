import { ORDER_STATUSES } from '@buybuy/db';
import { z } from 'zod';

import { idSchema, moneySchema } from '../shared/schemas';

const periodSchema = z.object({ orders: z.number().int(), revenue: moneySchema });

export const dashboardSchema = z.object({
  today: periodSchema,
  last_7_days: periodSchema,
  orders_by_status: z.array(z.object({ status: z.enum(ORDER_STATUSES), count: z.number().int() })),
  low_stock: z.array(
    z.object({ id: idSchema, name: z.string(), stock_quantity: z.number().int() }),
  ),
});
