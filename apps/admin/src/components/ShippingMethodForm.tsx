import { type RouterOutputs } from '@buybuy/client';
import { useState } from 'react';

import { moneyError, moneyToSend } from '../money';
import {
  ActiveCheckbox,
  FormActions,
  FormError,
  NameField,
  PriceField,
  useFieldChecks,
} from './FormParts';

export type ShippingMethod = RouterOutputs['shippingMethods']['list'][number];

export interface ShippingMethodValues {
  name: string;
  /** Normalised from what was typed ("5" → "5.00", "4,9" → "4.90"). */
  price: string;
  is_active: boolean;
}

const FIELDS = ['name', 'price', 'is_active'];

/** Create or edit a flat-rate method; the server's field errors appear beside their fields. */
export function ShippingMethodForm({
  method,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  method?: ShippingMethod;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: ShippingMethodValues) => void;
  onCancel?: () => void;
}) {
  const [name, setName] = useState(method?.name ?? '');
  const [price, setPrice] = useState(method?.price ?? '');
  const [active, setActive] = useState(method?.is_active ?? true);
  const { fieldError, formError, submitChecked } = useFieldChecks(error);

  const submit = submitChecked(
    {
      name: name.trim() ? undefined : 'Enter a name.',
      price: price.trim() ? moneyError(price) : 'Enter a price, like 4.90.',
    },
    () => onSubmit({ name, price: moneyToSend(price), is_active: active }),
  );

  return (
    <form onSubmit={submit} noValidate className="stack">
      <FormError error={formError} shownFields={FIELDS} />
      <NameField
        value={name}
        onChange={setName}
        autoFocus={method !== undefined}
        error={fieldError('name')}
      />
      <PriceField value={price} onChange={setPrice} error={fieldError('price')} />
      <ActiveCheckbox label="Active (offered at checkout)" checked={active} onChange={setActive} />
      <FormActions submitLabel={submitLabel} pending={pending} onCancel={onCancel} />
    </form>
  );
}
