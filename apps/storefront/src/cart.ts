import type { RouterInputs, RouterOutputs } from '@buybuy/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, queries } from './api';

export type Cart = RouterOutputs['cart']['get'];
export type CartLine = Cart['items'][number];

/** The caller's cart: the user's when signed in, else the guest's (the SDK sends its token). */
export const cartQuery = queries.cart.get.queryOptions({});

export const useCart = () => useQuery(cartQuery);

/** How many more of a product the shopper may add, given what their cart holds already. */
export function addableQuantity(cart: Cart | undefined, productId: number, stock: number) {
  const inCart = cart?.items.find((line) => line.product_id === productId)?.quantity ?? 0;
  return Math.max(0, stock - inCart);
}

/**
 * A change to the cart. Every change answers with the whole cart, which
 * replaces the cached one; a refused change (stock moved) reloads the cart
 * and the product so the page shows what can be had now.
 */
function useCartChange<TInput>(change: (input: TInput) => Promise<Cart>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: (cart) => queryClient.setQueryData(cartQuery.queryKey, cart),
    onError: () =>
      Promise.all([
        queryClient.invalidateQueries(queries.cart.get.pathFilter()),
        queryClient.invalidateQueries(queries.products.byId.pathFilter()),
        queryClient.invalidateQueries(queries.products.list.pathFilter()),
      ]),
  });
}

export const useAddToCart = () =>
  useCartChange((input: RouterInputs['cart']['addItem']) => api.cart.addItem.mutate(input));

export const useUpdateCartLine = () =>
  useCartChange((input: RouterInputs['cart']['updateItem']) => api.cart.updateItem.mutate(input));

export const useRemoveCartLine = () =>
  useCartChange((input: RouterInputs['cart']['removeItem']) => api.cart.removeItem.mutate(input));
