import { type ChangeEvent, type FormEvent, type ReactNode, useState } from 'react';

/**
 * A list's filters as typed, starting from the address. `field(name)` wires a
 * text or select field to its draft and the server's error for it.
 */
export function useFilterDrafts<Name extends string>(
  params: URLSearchParams,
  names: readonly Name[],
  serverErrors: Record<string, string>,
) {
  const [drafts, setDrafts] = useState(
    () =>
      Object.fromEntries(names.map((name) => [name, params.get(name) ?? ''])) as Record<
        Name,
        string
      >,
  );
  const field = (name: Name) => ({
    name,
    value: drafts[name],
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      setDrafts((current) => ({ ...current, [name]: event.target.value })),
    error: serverErrors[name],
  });
  return [drafts, field] as const;
}

/** The filters' form: edits stay local until "Apply filters"; "Clear filters" drops them all. */
export function FilterForm({
  className = 'filters card',
  onApply,
  onClear,
  children,
}: {
  className?: string;
  onApply: () => void;
  onClear: () => void;
  children: ReactNode;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply();
  };
  return (
    <form className={className} onSubmit={submit} aria-labelledby="filters-heading" noValidate>
      <h2 id="filters-heading" className="visually-hidden">
        Filters
      </h2>
      {children}
      <div className="actions">
        <button type="submit" className="button">
          Apply filters
        </button>
        <button type="button" className="button secondary" onClick={onClear}>
          Clear filters
        </button>
      </div>
    </form>
  );
}
