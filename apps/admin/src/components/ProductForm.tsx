import { type RouterOutputs } from '@buybuy/client';
import { wholeNumber } from '@buybuy/validators';
import { useState } from 'react';

import { categoryLabel, flatten, useCategoryTree } from '../categories';
import { messageOf } from '../errors';
import { moneyError, moneyToSend } from '../money';
import {
  ActiveCheckbox,
  FormActions,
  FormError,
  NameField,
  PriceField,
  useFieldChecks,
} from './FormParts';
import { SelectField, TextArea, TextField } from './ui';

export interface ProductValues {
  name: string;
  description: string | null;
  /** Normalised from what was typed ("19,9" → "19.90"), never a float on the way. */
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
  const { fieldError, formError, submitChecked } = useFieldChecks(error);

  const submit = submitChecked(
    {
      name: name.trim() ? undefined : 'Enter a name.',
      price: price.trim() ? moneyError(price) : 'Enter a price, like 19.90.',
      category_id: categoryId ? undefined : 'Choose a category.',
      stock_quantity: wholeNumber.safeParse(stock.trim()).success
        ? undefined
        : 'Enter a whole number, 0 or more.',
    },
    () =>
      onSubmit({
        name,
        description: description.trim() ? description : null,
        price: moneyToSend(price),
        category_id: Number(categoryId),
        stock_quantity: Number(stock.trim()),
        is_active: active,
      }),
  );

  return (
    <form onSubmit={submit} noValidate className="stack">
      <FormError error={formError} shownFields={FIELDS} />
      <NameField value={name} onChange={setName} error={fieldError('name')} />
      <TextArea
        label="Description"
        name="description"
        rows={4}
        value={description}
        onChange={(event) => setDescription(event.target.value)}
        error={fieldError('description')}
      />
      <div className="row">
        <PriceField value={price} onChange={setPrice} error={fieldError('price')} />
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
            {categoryLabel(entry)}
          </option>
        ))}
      </SelectField>
      <ActiveCheckbox label="Active (visible in the shop)" checked={active} onChange={setActive} />
      <FormActions submitLabel={submitLabel} pending={pending} />
    </form>
  );
}
