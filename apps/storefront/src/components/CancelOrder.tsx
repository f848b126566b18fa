import { withOrderToken } from '@buybuy/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { api, queries } from '../api';
import { messageOf } from '../errors';
import type { Order } from '../orders';

/** Cancelling an unpaid order, asked twice: the stock goes back and it cannot be undone. */
export function CancelOrder({
  order,
  orderToken,
}: {
  order: Order;
  orderToken?: string | undefined;
}) {
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const cancel = useMutation({
    mutationFn: () =>
      api.orders.cancel.mutate(
        { id: order.id },
        orderToken ? withOrderToken(orderToken) : undefined,
      ),
    onSuccess: async (cancelled) => {
      queryClient.setQueryData(queries.orders.byId.queryKey({ id: order.id }), cancelled);
      setAsking(false);
      await Promise.all([
        queryClient.invalidateQueries(queries.orders.list.pathFilter()),
        queryClient.invalidateQueries(queries.products.list.pathFilter()),
        queryClient.invalidateQueries(queries.products.byId.pathFilter()),
      ]);
    },
    // The order may have been paid meanwhile: show what it is now.
    onError: () => queryClient.invalidateQueries(queries.orders.byId.pathFilter()),
  });

  return (
    <div className="cancel-order">
      {asking ? (
        <div role="group" aria-labelledby="cancel-question">
          <p id="cancel-question">Cancel order {order.number}? This cannot be undone.</p>
          <div className="button-row">
            <button
              type="button"
              className="button-danger"
              disabled={cancel.isPending}
              onClick={() => cancel.mutate()}
            >
              {cancel.isPending ? 'Cancelling…' : 'Yes, cancel the order'}
            </button>
            <button type="button" className="button-secondary" onClick={() => setAsking(false)}>
              Keep the order
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="button-secondary" onClick={() => setAsking(true)}>
          Cancel order
        </button>
      )}
      {cancel.isError && (
        <p className="field-error" role="alert">
          {messageOf(cancel.error)}
        </p>
      )}
    </div>
  );
}
