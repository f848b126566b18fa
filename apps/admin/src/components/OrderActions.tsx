import { errorCode, fieldErrorsOf } from '@buybuy/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { api, queries } from '../api';
import { actionsOf, type Order, ORDER_ACTIONS, type OrderAction, STATUS_LABELS } from '../orders';
import { ConfirmDialog, TextArea, TextField } from './ui';

interface ActionValues {
  action: OrderAction;
  note: string;
  trackingNumber: string;
}

/** What each action tells the admin before, and says once done. */
const WORDING: Record<OrderAction, { explain: string; done: string }> = {
  pay: {
    explain: 'Confirm that the payment for this order has arrived. The order can then be shipped.',
    done: 'marked paid',
  },
  ship: {
    explain: 'The customer sees the order as shipped, with the tracking number if you give one.',
    done: 'shipped',
  },
  deliver: { explain: 'The order has reached the customer.', done: 'marked delivered' },
  cancel: {
    explain: 'The order is cancelled and its items go back into stock. This cannot be undone.',
    done: 'cancelled',
  },
  refund: {
    explain:
      'The order is marked refunded and its items go back into stock. Pay the money back through the payment provider yourself. This cannot be undone.',
    done: 'refunded',
  },
};

const FIELDS = ['note', 'tracking_number'];

function perform(id: number, { action, note, trackingNumber }: ActionValues) {
  const input = { id, ...(note.trim() ? { note: note.trim() } : {}) };
  switch (action) {
    case 'pay':
      return api.orders.markPaid.mutate(input);
    case 'ship':
      return api.orders.ship.mutate({
        ...input,
        ...(trackingNumber.trim() ? { tracking_number: trackingNumber.trim() } : {}),
      });
    case 'deliver':
      return api.orders.deliver.mutate(input);
    case 'cancel':
      return api.orders.cancel.mutate(input);
    case 'refund':
      return api.orders.refund.mutate(input);
  }
}

/**
 * The moves the API says this order allows now (`order.actions`), and nothing
 * else; each asks for an optional note (and, to ship, a tracking number) in a
 * dialog first.
 */
export function OrderActions({
  order,
  onDone,
}: {
  order: Order;
  onDone: (message: string) => void;
}) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<OrderAction | null>(null);
  const [note, setNote] = useState('');
  const [trackingNumber, setTrackingNumber] = useState('');
  const actions = actionsOf(order);

  const run = useMutation({
    mutationFn: (values: ActionValues) => perform(order.id, values),
    onSuccess: async (updated, { action }) => {
      setOpen(null);
      onDone(`Order ${updated.number} ${WORDING[action].done}.`);
      queryClient.setQueryData(queries.orders.byId.queryKey({ id: order.id }), updated);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queries.orders.byId.queryKey({ id: order.id }) }),
        queryClient.invalidateQueries(queries.orders.list.pathFilter()),
        queryClient.invalidateQueries(queries.dashboard.get.pathFilter()),
        // Cancel and refund put the stock back.
        ...(ORDER_ACTIONS[action].destructive
          ? [
              queryClient.invalidateQueries(queries.products.list.pathFilter()),
              queryClient.invalidateQueries(queries.products.byId.pathFilter()),
            ]
          : []),
      ]);
    },
    onError: async (error) => {
      // Someone else moved the order meanwhile: show where it stands now.
      if (errorCode(error) === 'INVALID_TRANSITION')
        await queryClient.invalidateQueries({
          queryKey: queries.orders.byId.queryKey({ id: order.id }),
        });
    },
  });

  const start = (action: OrderAction) => {
    run.reset();
    setNote('');
    setTrackingNumber('');
    setOpen(action);
  };
  const fields = fieldErrorsOf(run.error);
  const rule = open ? ORDER_ACTIONS[open] : null;

  return (
    <section className="card" aria-labelledby="actions-heading">
      <h2 id="actions-heading">Actions</h2>
      {actions.length === 0 ? (
        <p className="muted">
          No further steps: this order is {STATUS_LABELS[order.status].toLowerCase()}.
        </p>
      ) : (
        <div className="actions">
          {actions.map((action) => (
            <button
              key={action}
              type="button"
              className={`button${ORDER_ACTIONS[action].destructive ? ' secondary danger-text' : ''}`}
              onClick={() => start(action)}
            >
              {ORDER_ACTIONS[action].label}
            </button>
          ))}
        </div>
      )}
      <ConfirmDialog
        open={open !== null}
        title={rule ? `${rule.label}: ${order.number}` : ''}
        confirmLabel={rule?.label ?? ''}
        cancelLabel="Back"
        tone={rule?.destructive ? 'danger' : 'primary'}
        busy={run.isPending}
        error={run.error}
        shownFields={FIELDS}
        onConfirm={() => open && run.mutate({ action: open, note, trackingNumber })}
        onCancel={() => setOpen(null)}
      >
        {open && (
          <div className="stack">
            <p>{WORDING[open].explain}</p>
            {open === 'ship' && (
              <TextField
                label="Tracking number (optional)"
                name="tracking_number"
                autoComplete="off"
                maxLength={100}
                value={trackingNumber}
                onChange={(event) => setTrackingNumber(event.target.value)}
                error={fields.tracking_number}
              />
            )}
            <TextArea
              label="Note (optional)"
              name="note"
              rows={3}
              maxLength={500}
              hint="Kept in the order's history, which the customer can read too."
              value={note}
              onChange={(event) => setNote(event.target.value)}
              error={fields.note}
            />
          </div>
        )}
      </ConfirmDialog>
    </section>
  );
}
