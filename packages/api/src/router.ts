import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

import { apiKeysRouter } from './api-keys/router';
import { authRouter } from './auth/router';
import { cartRouter } from './cart/router';
import { categoriesRouter } from './categories/router';
import { dashboardRouter } from './dashboard/router';
import { jobsRouter } from './jobs/router';
import { ordersRouter } from './orders/router';
import { productsRouter } from './products/router';
import { shippingMethodsRouter } from './shipping/router';
import { shopRouter } from './shop/router';
import { router } from './trpc';
import { checkOutputsExactly, trustOutputs } from './trpc/output';
import { usersRouter } from './users/router';

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  categories: categoriesRouter,
  products: productsRouter,
  shop: shopRouter,
  cart: cartRouter,
  shippingMethods: shippingMethodsRouter,
  orders: ordersRouter,
  dashboard: dashboardRouter,
  apiKeys: apiKeysRouter,
  jobs: jobsRouter,
});

// Production trusts the procedures' answers (trpc/output.ts); development and
// tests check every one, and that its schema would send it unchanged.
if (process.env.NODE_ENV === 'production') trustOutputs(appRouter);
else checkOutputsExactly(appRouter);

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
