import {
  createIdempotencyKey,
  errorCode,
  type RouterInputs,
  withIdempotencyKey,
} from '@buybuy/client';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { useNavigate } from 'react-router';

import { api, queries } from './api';
import { useAuth } from './auth';
import { rememberPlacedOrder } from './orders';

export type PlaceOrder = RouterInputs['orders']['place'];

export const shippingMethodsQuery = queryOptions({
  ...queries.shippingMethods.list.queryOptions({}),
  staleTime: 5 * 60_000,
});

/** Codes after which the cart on screen is out of date: reload it (and the stock it shows). */
const STALE_CART = new Set(['OUT_OF_STOCK', 'PRODUCT_UNAVAILABLE', 'CART_EMPTY']);

/**
 * Places the order. One Idempotency-Key per attempt: pressing the button
 * again with the same details (after a lost answer, a double click) sends
 * the same key, so the server places one order; changed details are a new
 * attempt with a new key. On success the confirmation replaces checkout.
 */
export function usePlaceOrder() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { signedIn } = useAuth();
  const attempt = useRef<{ body: string; key: string } | null>(null);

  return useMutation({
    mutationFn: (input: PlaceOrder) => {
      const body = JSON.stringify(input);
      if (attempt.current?.body !== body) attempt.current = { body, key: createIdempotencyKey() };
      return api.orders.place.mutate(input, withIdempotencyKey(attempt.current.key));
    },
    onSuccess: async (placed) => {
      rememberPlacedOrder(placed.id, {
        // A guest's only key to the order; a signed-in owner needs none (and a shared computer keeps none).
        ...(!signedIn && { token: placed.order_token }),
        payment_instructions: placed.payment_instructions,
      });
      queryClient.setQueryData(queries.orders.byId.queryKey({ id: placed.id }), placed);
      // Leave first, so checkout never shows the emptied cart.
      await navigate(`/orders/${placed.id}?placed=1`, { replace: true });
      await Promise.all([
        queryClient.invalidateQueries(queries.cart.get.pathFilter()),
        queryClient.invalidateQueries(queries.orders.list.pathFilter()),
        queryClient.invalidateQueries(queries.products.list.pathFilter()),
        queryClient.invalidateQueries(queries.products.byId.pathFilter()),
      ]);
    },
    onError: async (error) => {
      if (STALE_CART.has(errorCode(error) ?? '')) {
        await queryClient.invalidateQueries(queries.cart.get.pathFilter());
      }
    },
  });
}
