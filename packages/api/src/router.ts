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

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
