import { fieldErrorsOf, type RouterOutputs } from '@buybuy/client';
import { wholeNumber } from '@buybuy/validators';
import { type FormEvent, useState } from 'react';

import { flatten, indented, useCategoryTree } from '../categories';
import { messageOf } from '../errors';
import { MONEY_HINT } from '../money';
import { Checkbox, ErrorState, SelectField, TextArea, TextField } from './ui';

export interface ProductValues {
  name: string;
  description: string | null;
  /** Exactly as typed: the server checks and normalises it, never a float on the way. */
  price: string;
  category_id: number;
  stock_quantity: number;
  is_active: boolean;
}

const FIELDS = ['name', 'description', 'price', 'category_id', 'stock_quantity', 'is_active'];

export function ProductForm({
  product,
  submitLabel,
  pending,
  error,
  onSubmit,
}: {
  product?: RouterOutputs['products']['byId'];
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: ProductValues) => void;
}) {
  const categories = useCategoryTree();
  const [name, setName] = useState(product?.name ?? '');
  const [description, setDescription] = useState(product?.description ?? '');
  const [price, setPrice] = useState(product?.price ?? '');
  const [categoryId, setCategoryId] = useState(product ? String(product.category_id) : '');
  const [stock, setStock] = useState(String(product?.stock_quantity ?? 0));
  const [active, setActive] = useState(product?.is_active ?? true);
  const [local, setLocal] = useState<Record<string, string>>({});

  const server = fieldErrorsOf(error);
  // A field's own check wins until the form is sent again; then the server's word counts.
  const fieldError = (field: string) => local[field] ?? server[field];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!name.trim()) problems.name = 'Enter a name.';
    if (!price.trim()) problems.price = 'Enter a price, like 19.90.';
    if (!categoryId) problems.category_id = 'Choose a category.';
    if (!wholeNumber.safeParse(stock.trim()).success)
      problems.stock_quantity = 'Enter a whole number, 0 or more.';
    setLocal(problems);
    if (Object.keys(problems).length > 0) return;
    onSubmit({
      name,
      description: description.trim() ? description : null,
      price: price.trim(),
      category_id: Number(categoryId),
      stock_quantity: Number(stock.trim()),
      is_active: active,
    });
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
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={fieldError('name')}
      />
      <TextArea
        label="Description"
        name="description"
        rows={4}
        value={description}
        onChange={(event) => setDescription(event.target.value)}
        error={fieldError('description')}
      />
      <div className="row">
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
        <TextField
          label="Stock quantity"
          name="stock_quantity"
          inputMode="numeric"
          required
          value={stock}
          onChange={(event) => setStock(event.target.value)}
          error={fieldError('stock_quantity')}
        />
      </div>
      <SelectField
        label="Category"
        name="category_id"
        required
        value={categoryId}
        onChange={(event) => setCategoryId(event.target.value)}
        error={
          fieldError('category_id') ??
          (categories.isError
            ? `Categories could not be loaded: ${messageOf(categories.error)}`
            : undefined)
        }
      >
        <option value="">
          {categories.isPending ? 'Loading categories…' : 'Choose a category'}
        </option>
        {flatten(categories.data ?? []).map((entry) => (
          <option key={entry.category.id} value={entry.category.id}>
            {indented(entry)}
          </option>
        ))}
      </SelectField>
      <Checkbox
        label="Active (visible in the shop)"
        name="is_active"
        checked={active}
        onChange={(event) => setActive(event.target.checked)}
      />
      <div className="actions">
        <button type="submit" className="button" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
