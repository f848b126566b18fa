import { fieldErrorsOf } from '@buybuy/client';
import { type FormEvent, useState } from 'react';

import { categoryLabel, type CategoryNode, type FlatCategory } from '../categories';
import { ActiveCheckbox, FormActions, FormError, NameField } from './FormParts';
import { SelectField, TextArea, TextField } from './ui';

export interface CategoryValues {
  name: string;
  slug?: string;
  description: string | null;
  parent_id: number | null;
  is_active: boolean;
}

const FIELDS = ['name', 'slug', 'description', 'parent_id', 'is_active'];

/** Create or edit a category; the server's field errors appear under their fields. */
export function CategoryForm({
  category,
  categories,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  category?: CategoryNode;
  categories: readonly FlatCategory[];
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: CategoryValues) => void;
  onCancel?: () => void;
}) {
  const [name, setName] = useState(category?.name ?? '');
  const [slug, setSlug] = useState(category?.slug ?? '');
  const [description, setDescription] = useState(category?.description ?? '');
  const [parentId, setParentId] = useState(category?.parent_id ? String(category.parent_id) : '');
  const [active, setActive] = useState(category?.is_active ?? true);
  const [missingName, setMissingName] = useState(false);

  const fields = fieldErrorsOf(error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setMissingName(true);
      return;
    }
    setMissingName(false);
    onSubmit({
      name,
      ...(slug.trim() ? { slug: slug.trim() } : {}),
      description: description.trim() ? description : null,
      parent_id: parentId ? Number(parentId) : null,
      is_active: active,
    });
  };

  return (
    <form onSubmit={submit} noValidate className="stack">
      <FormError error={error} shownFields={FIELDS} />
      <NameField
        value={name}
        onChange={setName}
        // Editing starts in the form the Edit button opened.
        autoFocus={category !== undefined}
        error={missingName ? 'Enter a name.' : fields.name}
      />
      <TextField
        label="Slug"
        name="slug"
        hint={
          category ? 'Used in shop addresses.' : 'Optional: made from the name when left empty.'
        }
        value={slug}
        onChange={(event) => setSlug(event.target.value)}
        error={fields.slug}
      />
      <TextArea
        label="Description"
        name="description"
        rows={3}
        value={description}
        onChange={(event) => setDescription(event.target.value)}
        error={fields.description}
      />
      <SelectField
        label="Parent category"
        name="parent_id"
        value={parentId}
        onChange={(event) => setParentId(event.target.value)}
        error={fields.parent_id}
      >
        <option value="">None (top level)</option>
        {categories
          .filter((entry) => entry.category.id !== category?.id)
          .map((entry) => (
            <option key={entry.category.id} value={entry.category.id}>
              {categoryLabel(entry)}
            </option>
          ))}
      </SelectField>
      <ActiveCheckbox label="Active (visible in the shop)" checked={active} onChange={setActive} />
      <FormActions submitLabel={submitLabel} pending={pending} onCancel={onCancel} />
    </form>
  );
}
