import { ORDER_STATUSES, STATUS_LABELS } from '../orders';
import { FilterForm, useFilterDrafts } from './FilterForm';
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
  const [drafts, field] = useFilterDrafts(params, ORDER_FILTERS, serverErrors);

  const apply = () =>
    onApply({
      status: drafts.status || null,
      email: drafts.email.trim() || null,
      // Order numbers are upper case; the server matches them so too.
      number: drafts.number.trim().toUpperCase() || null,
      created_from: drafts.created_from || null,
      created_to: drafts.created_to || null,
    });
  const clear = () =>
    onApply({ status: null, email: null, number: null, created_from: null, created_to: null });

  return (
    <FilterForm className="filters order-filters card" onApply={apply} onClear={clear}>
      <SelectField label="Status" {...field('status')}>
        <option value="">Any status</option>
        {ORDER_STATUSES.map((value) => (
          <option key={value} value={value}>
            {STATUS_LABELS[value]}
          </option>
        ))}
      </SelectField>
      <TextField label="Order number" placeholder="BB-…" autoComplete="off" {...field('number')} />
      <TextField label="Customer email" type="email" autoComplete="off" {...field('email')} />
      <TextField label="Placed from" type="date" {...field('created_from')} />
      <TextField
        label="Placed until"
        type="date"
        hint="Whole days, UTC."
        {...field('created_to')}
      />
    </FilterForm>
  );
}
