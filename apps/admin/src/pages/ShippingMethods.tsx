import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { api, queries } from '../api';
import {
  type ShippingMethod,
  ShippingMethodForm,
  type ShippingMethodValues,
} from '../components/ShippingMethodForm';
import {
  ConfirmDialog,
  Empty,
  ErrorState,
  LiveRegion,
  Loading,
  usePageTitle,
} from '../components/ui';
import { useMoney } from '../money';

/** Admins see the inactive methods too. */
const LIST_INPUT = { include_inactive: true };

export default function ShippingMethods() {
  usePageTitle('Shipping methods');
  const queryClient = useQueryClient();
  const money = useMoney();
  const methods = useQuery(queries.shippingMethods.list.queryOptions(LIST_INPUT));
  const [editing, setEditing] = useState<ShippingMethod | null>(null);
  const [deleting, setDeleting] = useState<ShippingMethod | null>(null);
  const [status, setStatus] = useState('');
  // Bumped with the "created" message so the add form empties in that same render.
  const [createdCount, setCreatedCount] = useState(0);

  const invalidate = () => queryClient.invalidateQueries(queries.shippingMethods.list.pathFilter());

  const create = useMutation({
    mutationFn: (values: ShippingMethodValues) => api.shippingMethods.create.mutate(values),
    onSuccess: async (method) => {
      setStatus(`Shipping method “${method.name}” created.`);
      setCreatedCount((count) => count + 1);
      await invalidate();
    },
  });
  const update = useMutation({
    mutationFn: (input: ShippingMethodValues & { id: number }) =>
      api.shippingMethods.update.mutate(input),
    onSuccess: async (method) => {
      setStatus(`Shipping method “${method.name}” saved.`);
      setEditing(null);
      await invalidate();
    },
  });
  const remove = useMutation({
    mutationFn: (method: ShippingMethod) => api.shippingMethods.delete.mutate({ id: method.id }),
    onSuccess: async (_, method) => {
      setStatus(`Shipping method “${method.name}” deleted.`);
      setDeleting(null);
      if (editing?.id === method.id) setEditing(null);
      await invalidate();
    },
  });

  return (
    <>
      <h1>Shipping methods</h1>
      <LiveRegion>{status && <p className="status">{status}</p>}</LiveRegion>
      <div className="columns">
        <section className="card" aria-labelledby="methods-heading">
          <h2 id="methods-heading">Flat-rate methods</h2>
          {methods.isPending ? (
            <Loading label="Loading shipping methods…" />
          ) : methods.isError ? (
            <ErrorState error={methods.error} onRetry={() => void methods.refetch()} />
          ) : methods.data.length === 0 ? (
            <Empty>
              <p>No shipping methods yet. Customers cannot check out until you add one.</p>
            </Empty>
          ) : (
            <div className="table-wrap" aria-busy={methods.isFetching}>
              <table>
                <caption className="visually-hidden">Shipping methods, cheapest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col" className="number">
                      Price
                    </th>
                    <th scope="col">Status</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {methods.data.map((method) => (
                    <tr key={method.id} className={editing?.id === method.id ? 'selected' : ''}>
                      <td>{method.name}</td>
                      <td className="number">{money(method.price)}</td>
                      <td>
                        {method.is_active ? (
                          <span className="badge ok">Active</span>
                        ) : (
                          <span className="badge">Inactive</span>
                        )}
                      </td>
                      <td className="row-actions">
                        <button
                          type="button"
                          className="link-button"
                          aria-label={`Edit ${method.name}`}
                          onClick={() => {
                            update.reset();
                            setEditing(method);
                          }}
                        >
                          Edit
                        </button>
                        <button
                          type="button"
                          className="link-button danger"
                          aria-label={`Delete ${method.name}`}
                          onClick={() => {
                            remove.reset();
                            setDeleting(method);
                          }}
                        >
                          Delete
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p className="hint">
            Orders keep the name and price of the method they were placed with, whatever changes
            here later.
          </p>
        </section>

        <div className="stack">
          {editing && (
            <section className="card" aria-labelledby="edit-heading">
              <h2 id="edit-heading">Edit “{editing.name}”</h2>
              <ShippingMethodForm
                key={editing.id}
                method={editing}
                submitLabel="Save shipping method"
                pending={update.isPending}
                error={update.error}
                onSubmit={(values) => update.mutate({ id: editing.id, ...values })}
                onCancel={() => setEditing(null)}
              />
            </section>
          )}
          <section className="card" aria-labelledby="create-heading">
            <h2 id="create-heading">Add a shipping method</h2>
            <ShippingMethodForm
              key={createdCount}
              submitLabel="Add shipping method"
              pending={create.isPending}
              error={create.error}
              onSubmit={(values) => create.mutate(values)}
            />
          </section>
        </div>
      </div>

      <ConfirmDialog
        open={deleting !== null}
        title={`Delete “${deleting?.name ?? ''}”?`}
        confirmLabel="Delete shipping method"
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onCancel={() => setDeleting(null)}
      >
        <p>
          Customers can no longer choose it. Orders placed with it keep its name and price. To offer
          it again later, deactivate it instead.
        </p>
      </ConfirmDialog>
    </>
  );
}
