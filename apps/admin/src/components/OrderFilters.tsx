import { type FormEvent, useState } from 'react';

import { ORDER_STATUSES, STATUS_LABELS } from '../orders';
import { SelectField, TextField } from './ui';

/** The list's filters, as URL parameters named like the API's inputs. */
export const ORDER_FILTERS = ['status', 'email', 'number', 'created_from', 'created_to'] as const;
export type OrderFilterChanges = Record<(typeof ORDER_FILTERS)[number], string | null>;

/** Edits the filters locally; they reach the address (and the query) on "Apply filters". */
export function OrderFilters({
  params,
  serverErrors,
  onApply,
}: {
  params: URLSearchParams;
  serverErrors: Record<string, string>;
  onApply: (changes: OrderFilterChanges) => void;
}) {
  const [status, setStatus] = useState(params.get('status') ?? '');
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [number, setNumber] = useState(params.get('number') ?? '');
  const [from, setFrom] = useState(params.get('created_from') ?? '');
  const [to, setTo] = useState(params.get('created_to') ?? '');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({
      status: status || null,
      email: email.trim() || null,
      // Order numbers are upper case; the server matches them so too.
      number: number.trim().toUpperCase() || null,
      created_from: from || null,
      created_to: to || null,
    });
  };
  const clear = () =>
    onApply({ status: null, email: null, number: null, created_from: null, created_to: null });

  return (
    <form
      className="filters order-filters card"
      onSubmit={submit}
      aria-labelledby="filters-heading"
      noValidate
    >
      <h2 id="filters-heading" className="visually-hidden">
        Filters
      </h2>
      <SelectField
        label="Status"
        name="status"
        value={status}
        onChange={(event) => setStatus(event.target.value)}
        error={serverErrors.status}
      >
        <option value="">Any status</option>
        {ORDER_STATUSES.map((value) => (
          <option key={value} value={value}>
            {STATUS_LABELS[value]}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Order number"
        name="number"
        placeholder="BB-…"
        autoComplete="off"
        value={number}
        onChange={(event) => setNumber(event.target.value)}
        error={serverErrors.number}
      />
      <TextField
        label="Customer email"
        type="email"
        name="email"
        autoComplete="off"
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={serverErrors.email}
      />
      <TextField
        label="Placed from"
        type="date"
        name="created_from"
        value={from}
        onChange={(event) => setFrom(event.target.value)}
        error={serverErrors.created_from}
      />
      <TextField
        label="Placed until"
        type="date"
        name="created_to"
        hint="Whole days, UTC."
        value={to}
        onChange={(event) => setTo(event.target.value)}
        error={serverErrors.created_to}
      />
      <div className="actions">
        <button type="submit" className="button">
          Apply filters
        </button>
        <button type="button" className="button secondary" onClick={clear}>
          Clear filters
        </button>
      </div>
    </form>
  );
}
