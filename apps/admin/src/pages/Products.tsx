import { fieldErrorsOf, type RouterInputs, type RouterOutputs } from '@buybuy/client';
import { checkPriceFilter, normaliseDecimalComma } from '@buybuy/validators';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';

import { api, queries } from '../api';
import { categoryLabel, flatten, pathName, useCategoryTree } from '../categories';
import { DeleteDialog, useDeletion } from '../components/DeleteDialog';
import { FilterForm, useFilterDrafts } from '../components/FilterForm';
import { PagedTable, PerPageField } from '../components/PagedTable';
import { RowButton } from '../components/RowButton';
import { ActionsHeader, NumberHeader, StockCell } from '../components/TableParts';
import {
  Alert,
  Checkbox,
  LiveRegion,
  SelectField,
  TextField,
  usePageTitle,
} from '../components/ui';
import { useListParams } from '../listParams';
import { useMoney } from '../money';

type ListInput = RouterInputs['products']['list'];
type Product = RouterOutputs['products']['list']['items'][number];
type Sort = NonNullable<ListInput['sort']>;

const SORTS: { value: Sort; label: string }[] = [
  { value: 'newest', label: 'Newest first' },
  { value: 'name', label: 'Name (A to Z)' },
  { value: 'price_asc', label: 'Price (low to high)' },
  { value: 'price_desc', label: 'Price (high to low)' },
];

/** Filters whose field errors appear beside their fields. */
const FILTER_FIELDS = ['search', 'category_id', 'min_price', 'max_price'] as const;

/** The address's price filter, checked with the API's rules before anything is sent. */
const pricesIn = (params: URLSearchParams) =>
  checkPriceFilter(params.get('min_price') ?? '', params.get('max_price') ?? '');

/** The list's state lives in the address, so a reload or a shared link shows the same page. */
function inputFrom(params: URLSearchParams): ListInput {
  const sort = params.get('sort');
  const prices = pricesIn(params).values;
  return {
    page: Number(params.get('page') ?? 1) || 1,
    per_page: Number(params.get('per_page') ?? 20) || 20,
    sort: SORTS.some((option) => option.value === sort) ? (sort as Sort) : 'newest',
    ...(params.get('search') ? { search: params.get('search')! } : {}),
    ...(params.get('category_id') ? { category_id: Number(params.get('category_id')) } : {}),
    ...(prices.min_price ? { min_price: prices.min_price } : {}),
    ...(prices.max_price ? { max_price: prices.max_price } : {}),
    ...(params.get('in_stock') === 'true' ? { in_stock: true } : {}),
    ...(params.get('status') === 'active' ? {} : { include_inactive: true }),
  };
}

export default function Products() {
  usePageTitle('Products');
  const [params, update] = useListParams();
  const input = inputFrom(params);
  // A bad price in the address (a shared link) is explained on its field, not sent.
  const priceErrors = pricesIn(params).errors;
  const pricesValid = Object.keys(priceErrors).length === 0;
  const queryClient = useQueryClient();
  const list = useQuery({
    ...queries.products.list.queryOptions(input),
    placeholderData: keepPreviousData,
    enabled: pricesValid,
  });
  const money = useMoney();
  const tree = useCategoryTree();
  // A row names its category by path ("Garden › Tools"), as the filter's list does.
  const categoryPaths = new Map(
    flatten(tree.data ?? []).map((entry) => [entry.category.id, pathName(entry)]),
  );
  const [status, setStatus] = useState('');
  const deletion = useDeletion({
    remove: (product: Product) => api.products.delete.mutate({ id: product.id }),
    onAsk: () => setStatus(''),
    onDeleted: (product) => {
      setStatus(`Product “${product.name}” deleted.`);
      queryClient.removeQueries({ queryKey: queries.products.byId.queryKey({ id: product.id }) });
      return queryClient.invalidateQueries(queries.products.list.pathFilter());
    },
  });

  const sortBy = (column: 'name' | 'price') => {
    if (column === 'name') update({ sort: 'name' });
    else update({ sort: input.sort === 'price_asc' ? 'price_desc' : 'price_asc' });
  };
  const ariaSort = (column: 'name' | 'price') =>
    column === 'name'
      ? input.sort === 'name'
        ? 'ascending'
        : undefined
      : input.sort === 'price_asc'
        ? 'ascending'
        : input.sort === 'price_desc'
          ? 'descending'
          : undefined;

  return (
    <>
      <div className="page-head">
        <h1>Products</h1>
        <Link className="button" to="/products/new">
          New product
        </Link>
      </div>
      <LiveRegion>{status && <p className="status">{status}</p>}</LiveRegion>

      <Filters
        key={params.toString()}
        params={params}
        serverErrors={{ ...fieldErrorsOf(list.error), ...priceErrors }}
        onApply={(changes) => update(changes)}
      />

      <div className="table-tools">
        <SelectField
          label="Sort by"
          name="sort"
          value={input.sort}
          onChange={(event) => update({ sort: event.target.value })}
        >
          {SORTS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </SelectField>
        <PerPageField value={input.per_page} onChange={(size) => update({ per_page: size })} />
      </div>

      {!pricesValid ? (
        <Alert>
          <p>Correct the price filter to see the products.</p>
        </Alert>
      ) : (
        <PagedTable
          list={list}
          loadingLabel="Loading products…"
          shownFields={FILTER_FIELDS}
          empty={
            params.size > 0
              ? 'No products match these filters.'
              : 'No products yet. Create the first one.'
          }
          caption={(pagination) => `Products, page ${pagination.page} of ${pagination.total_pages}`}
          head={
            <>
              <th scope="col" className="thumb-col">
                <span className="visually-hidden">Image</span>
              </th>
              <th scope="col" aria-sort={ariaSort('name')}>
                <button type="button" className="sort-button" onClick={() => sortBy('name')}>
                  Name{input.sort === 'name' ? ' ▲' : ''}
                </button>
              </th>
              <th scope="col">Category</th>
              <th scope="col" aria-sort={ariaSort('price')} className="number">
                <button type="button" className="sort-button" onClick={() => sortBy('price')}>
                  Price
                  {input.sort === 'price_asc' ? ' ▲' : input.sort === 'price_desc' ? ' ▼' : ''}
                </button>
              </th>
              <NumberHeader>Stock</NumberHeader>
              <th scope="col">Status</th>
              <ActionsHeader />
            </>
          }
          row={(product) => (
            <tr key={product.id}>
              <td className="thumb-col">
                {product.primary_image ? (
                  <img
                    className="thumb"
                    src={product.primary_image.thumbnail_url ?? product.primary_image.image_url}
                    // The product's name follows in the same row.
                    alt=""
                    width={40}
                    height={40}
                    loading="lazy"
                  />
                ) : (
                  <span className="thumb placeholder" aria-hidden="true" />
                )}
              </td>
              <td>
                <Link to={`/products/${product.id}`}>{product.name}</Link>
              </td>
              <td>{categoryPaths.get(product.category.id) ?? product.category.name}</td>
              <td className="number">{money(product.price)}</td>
              <StockCell quantity={product.stock_quantity} />
              <td>{product.is_active ? 'Active' : <span className="badge">Inactive</span>}</td>
              <td className="row-actions">
                <Link to={`/products/${product.id}`} aria-label={`Edit ${product.name}`}>
                  Edit
                </Link>
                <RowButton
                  danger
                  label={`Delete ${product.name}`}
                  onClick={() => deletion.ask(product)}
                >
                  Delete
                </RowButton>
              </td>
            </tr>
          )}
          pagesLabel="Product pages"
          onPage={(number) => update({ page: String(number) }, true)}
        />
      )}

      <DeleteDialog deletion={deletion} confirmLabel="Delete product">
        <p>The product and its images are removed for good.</p>
      </DeleteDialog>
    </>
  );
}

function Filters({
  params,
  serverErrors,
  onApply,
}: {
  params: URLSearchParams;
  serverErrors: Record<string, string>;
  onApply: (changes: Record<string, string | null>) => void;
}) {
  const tree = useCategoryTree();
  const [drafts, field] = useFilterDrafts(params, FILTER_FIELDS, serverErrors);
  const [inStock, setInStock] = useState(params.get('in_stock') === 'true');
  const [activeOnly, setActiveOnly] = useState(params.get('status') === 'active');
  const [checked, setChecked] = useState(false);

  // The API's rules (amounts, then the range) in words, before anything is sent.
  const prices = checkPriceFilter(drafts.min_price, drafts.max_price);
  const price = (text: string) => (text.trim() ? normaliseDecimalComma(text) : null);

  const apply = () => {
    setChecked(true);
    if (Object.keys(prices.errors).length > 0) return;
    onApply({
      search: drafts.search.trim() || null,
      category_id: drafts.category_id || null,
      min_price: price(drafts.min_price),
      max_price: price(drafts.max_price),
      in_stock: inStock ? 'true' : null,
      status: activeOnly ? 'active' : null,
    });
  };
  const clear = () =>
    onApply({
      search: null,
      category_id: null,
      min_price: null,
      max_price: null,
      in_stock: null,
      status: null,
    });

  return (
    <FilterForm onApply={apply} onClear={clear}>
      <TextField
        label="Search"
        type="search"
        placeholder="Name or description"
        {...field('search')}
      />
      <SelectField label="Category" hint="Includes its subcategories." {...field('category_id')}>
        <option value="">All categories</option>
        {flatten(tree.data ?? []).map((entry) => (
          <option key={entry.category.id} value={entry.category.id}>
            {categoryLabel(entry)}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Minimum price"
        inputMode="decimal"
        {...field('min_price')}
        error={(checked ? prices.errors.min_price : undefined) ?? serverErrors.min_price}
      />
      <TextField
        label="Maximum price"
        inputMode="decimal"
        {...field('max_price')}
        error={(checked ? prices.errors.max_price : undefined) ?? serverErrors.max_price}
      />
      <div className="filter-flags">
        <Checkbox
          label="In stock only"
          name="in_stock"
          checked={inStock}
          onChange={(event) => setInStock(event.target.checked)}
        />
        <Checkbox
          label="Active products only"
          name="active_only"
          checked={activeOnly}
          onChange={(event) => setActiveOnly(event.target.checked)}
        />
      </div>
    </FilterForm>
  );
}
