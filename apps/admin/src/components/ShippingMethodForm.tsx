import { fieldErrorsOf, type RouterOutputs } from '@buybuy/client';
import { type FormEvent, useState } from 'react';

import { MONEY_HINT, moneyError } from '../money';
import { Checkbox, ErrorState, TextField } from './ui';

export type ShippingMethod = RouterOutputs['shippingMethods']['list'][number];

export interface ShippingMethodValues {
  name: string;
  /** As typed: the server normalises it ("5" → "5.00"). */
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
  const [local, setLocal] = useState<Record<string, string>>({});

  const server = fieldErrorsOf(error);
  // A field's own check wins until the form is sent again; then the server's word counts.
  const fieldError = (field: string) => local[field] ?? server[field];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!name.trim()) problems.name = 'Enter a name.';
    const priceProblem = price.trim() ? moneyError(price) : 'Enter a price, like 4.90.';
    if (priceProblem) problems.price = priceProblem;
    setLocal(problems);
    if (Object.keys(problems).length > 0) return;
    onSubmit({ name, price: price.trim(), is_active: active });
  };

  return (
    <form onSubmit={submit} noValidate className="stack">
      <div aria-live="polite">
        {error && Object.keys(local).length === 0 ? (
          <ErrorState error={error} shownFields={FIELDS} />
        ) : null}
      </div>
      <TextField
        label="Name"
        name="name"
        required
        autoFocus={method !== undefined}
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={fieldError('name')}
      />
      <TextField
        label="Price"
        name="price"
        inputMode="decimal"
        autoComplete="off"
        required
        hint={MONEY_HINT}
        value={price}
        onChange={(event) => setPrice(event.target.value)}
        error={fieldError('price')}
      />
      <Checkbox
        label="Active (offered at checkout)"
        name="is_active"
        checked={active}
        onChange={(event) => setActive(event.target.checked)}
      />
      <div className="actions">
        <button type="submit" className="button" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
