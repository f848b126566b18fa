import { z } from 'zod';

import { noInput } from '../shared/schemas';
import { publicProcedure, router } from '../trpc';

export const shopSchema = z.object({
  name: z.string(),
  /** ISO 4217: every price, cart and order is in this one currency. */
  currency: z.string().length(3),
});

export const shopRouter = router({
  info: publicProcedure
    .meta({
      sharedCache: true,
      openapi: {
        method: 'GET',
        path: '/shop',
        tags: ['shop'],
        summary: "The shop's name and its currency (ISO 4217)",
        protect: false,
        errorResponses: { 429: 'Rate limited' },
      },
    })
    .input(noInput)
    .output(shopSchema)
    .query(({ ctx }) => ctx.shop),
});
