import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { api, queries } from '../api';
import { Card } from '../components/Card';
import { DeleteDialog, useDeletion } from '../components/DeleteDialog';
import { EditorCards, useEditor } from '../components/Editor';
import { RowButton } from '../components/RowButton';
import {
  type ShippingMethod,
  ShippingMethodForm,
  type ShippingMethodValues,
} from '../components/ShippingMethodForm';
import { ActionsHeader, NumberHeader } from '../components/TableParts';
import { Empty, ErrorState, LiveRegion, Loading, usePageTitle } from '../components/ui';
import { useMoney } from '../money';

/** Admins see the inactive methods too. */
const LIST_INPUT = { include_inactive: true };

export default function ShippingMethods() {
  usePageTitle('Shipping methods');
  const queryClient = useQueryClient();
  const money = useMoney();
  const methods = useQuery(queries.shippingMethods.list.queryOptions(LIST_INPUT));
  const [status, setStatus] = useState('');

  const invalidate = () => queryClient.invalidateQueries(queries.shippingMethods.list.pathFilter());

  const editor = useEditor<ShippingMethod, ShippingMethodValues>({
    noun: 'shipping method',
    create: (values) => api.shippingMethods.create.mutate(values),
    update: (input) => api.shippingMethods.update.mutate(input),
    invalidate,
    setStatus,
  });
  const deletion = useDeletion({
    remove: (method: ShippingMethod) => api.shippingMethods.delete.mutate({ id: method.id }),
    onAsk: () => setStatus(''),
    onDeleted: (method) => {
      setStatus(`Shipping method “${method.name}” deleted.`);
      if (editor.editing?.id === method.id) editor.stopEditing();
      return invalidate();
    },
  });

  return (
    <>
      <h1>Shipping methods</h1>
      <LiveRegion>{status && <p className="status">{status}</p>}</LiveRegion>
      <div className="columns">
        <Card id="methods-heading" title="Flat-rate methods">
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
                    <NumberHeader>Price</NumberHeader>
                    <th scope="col">Status</th>
                    <ActionsHeader />
                  </tr>
                </thead>
                <tbody>
                  {methods.data.map((method) => (
                    <tr
                      key={method.id}
                      className={editor.editing?.id === method.id ? 'selected' : ''}
                    >
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
                        <RowButton
                          label={`Edit ${method.name}`}
                          onClick={() => editor.edit(method)}
                        >
                          Edit
                        </RowButton>
                        <RowButton
                          danger
                          label={`Delete ${method.name}`}
                          onClick={() => deletion.ask(method)}
                        >
                          Delete
                        </RowButton>
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
        </Card>

        <EditorCards
          editor={editor}
          form={(props, method) => <ShippingMethodForm {...props} method={method} />}
        />
      </div>

      <DeleteDialog deletion={deletion} confirmLabel="Delete shipping method">
        <p>
          Customers can no longer choose it. Orders placed with it keep its name and price. To offer
          it again later, deactivate it instead.
        </p>
      </DeleteDialog>
    </>
  );
}
