import { fieldErrorsOf } from '@buybuy/client';
import { type FormEvent, useState } from 'react';

import { MONEY_HINT } from '../money';
import { Checkbox, ErrorState, TextField } from './ui';

/**
 * Field errors from the form's own checks and from the server's answer. A
 * field's own check wins until the form is sent again; then the server's word counts.
 */
export function useFieldChecks(error: unknown) {
  const [local, setLocal] = useState<Record<string, string>>({});
  const server = fieldErrorsOf(error);
  return {
    fieldError: (field: string) => local[field] ?? server[field],
    /** The server's error, kept out of the way while the form's own checks fail. */
    formError: Object.keys(local).length === 0 ? error : null,
    /** A submit handler: shows the problems found (field → message), or sends when there are none. */
    submitChecked:
      (problems: Record<string, string | undefined>, send: () => void) => (event: FormEvent) => {
        event.preventDefault();
        const found = Object.fromEntries(
          Object.entries(problems).filter((entry): entry is [string, string] => !!entry[1]),
        );
        setLocal(found);
        if (Object.keys(found).length === 0) send();
      },
  };
}

/** The form's error as a whole, announced; fields in `shownFields` carry their own. */
export function FormError({
  error,
  shownFields,
}: {
  error: unknown;
  shownFields: readonly string[];
}) {
  return (
    <div aria-live="polite">
      {error ? <ErrorState error={error} shownFields={shownFields} /> : null}
    </div>
  );
}

/** The record's name, required; focused when an Edit button opened the form. */
export function NameField({
  value,
  error,
  autoFocus,
  onChange,
}: {
  value: string;
  error: string | undefined;
  autoFocus?: boolean;
  onChange: (value: string) => void;
}) {
  return (
    <TextField
      label="Name"
      name="name"
      required
      autoFocus={autoFocus}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      error={error}
    />
  );
}

/** An amount as typed, with a decimal point or comma; the form checks it and sends "19.99". */
export function PriceField({
  value,
  error,
  onChange,
}: {
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  return (
    <TextField
      label="Price"
      name="price"
      inputMode="decimal"
      autoComplete="off"
      required
      hint={MONEY_HINT}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      error={error}
    />
  );
}

/** The `is_active` switch; the label says where being active shows. */
export function ActiveCheckbox({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <Checkbox
      label={label}
      name="is_active"
      checked={checked}
      onChange={(event) => onChange(event.target.checked)}
    />
  );
}

/** Submit (busy while saving) and, when editing, Cancel. */
export function FormActions({
  submitLabel,
  pending,
  onCancel,
}: {
  submitLabel: string;
  pending: boolean;
  onCancel?: (() => void) | undefined;
}) {
  return (
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
  );
}
