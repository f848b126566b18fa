import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

import type { AppRouter } from './router-types';

export type { AppRouter, ErrorShape } from './router-types';
/** Every procedure's input, by path: `RouterInputs['products']['list']`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Every procedure's output, by path: `RouterOutputs['orders']['byId']`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
