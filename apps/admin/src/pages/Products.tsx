import { fieldErrorsOf, type RouterInputs, type RouterOutputs } from '@buybuy/client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';

import { api, queries } from '../api';
import { flatten, indented, useCategoryTree } from '../categories';
import {
  Checkbox,
  ConfirmDialog,
  Empty,
  ErrorState,
  LiveRegion,
  Loading,
  Pagination,
  SelectField,
  TextField,
  usePageTitle,
} from '../components/ui';
import { useListParams } from '../listParams';
import { moneyError, useMoney } from '../money';

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
const FILTER_FIELDS = ['search', 'category_id', 'min_price', 'max_price'];

/** The list's state lives in the address, so a reload or a shared link shows the same page. */
function inputFrom(params: URLSearchParams): ListInput {
  const sort = params.get('sort');
  return {
    page: Number(params.get('page') ?? 1) || 1,
    per_page: Number(params.get('per_page') ?? 20) || 20,
    sort: SORTS.some((option) => option.value === sort) ? (sort as Sort) : 'newest',
    ...(params.get('search') ? { search: params.get('search')! } : {}),
    ...(params.get('category_id') ? { category_id: Number(params.get('category_id')) } : {}),
    ...(params.get('min_price') ? { min_price: params.get('min_price')! } : {}),
    ...(params.get('max_price') ? { max_price: params.get('max_price')! } : {}),
    ...(params.get('in_stock') === 'true' ? { in_stock: true } : {}),
    ...(params.get('status') === 'active' ? {} : { include_inactive: true }),
  };
}

export default function Products() {
  usePageTitle('Products');
  const [params, update] = useListParams();
  const input = inputFrom(params);
  const queryClient = useQueryClient();
  const list = useQuery({
    ...queries.products.list.queryOptions(input),
    placeholderData: keepPreviousData,
  });
  const money = useMoney();
  const [deleting, setDeleting] = useState<Product | null>(null);
  const [status, setStatus] = useState('');
  const remove = useMutation({
    mutationFn: (product: Product) => api.products.delete.mutate({ id: product.id }),
    onSuccess: async (_, product) => {
      setDeleting(null);
      setStatus(`Product “${product.name}” deleted.`);
      queryClient.removeQueries({ queryKey: queries.products.byId.queryKey({ id: product.id }) });
      await queryClient.invalidateQueries(queries.products.list.pathFilter());
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

  const page = list.data;
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
        serverErrors={fieldErrorsOf(list.error)}
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
        <SelectField
          label="Per page"
          name="per_page"
          value={String(input.per_page)}
          onChange={(event) => update({ per_page: event.target.value })}
        >
          {[10, 20, 50, 100].map((size) => (
            <option key={size}>{size}</option>
          ))}
        </SelectField>
      </div>

      {list.isPending ? (
        <Loading label="Loading products…" />
      ) : list.isError && !page ? (
        <ErrorState
          error={list.error}
          shownFields={FILTER_FIELDS}
          onRetry={() => void list.refetch()}
        />
      ) : page && page.items.length === 0 ? (
        <Empty>
          <p>
            {params.size > 0
              ? 'No products match these filters.'
              : 'No products yet. Create the first one.'}
          </p>
        </Empty>
      ) : page ? (
        <>
          {list.isError && <ErrorState error={list.error} shownFields={FILTER_FIELDS} />}
          <div className="table-wrap" aria-busy={list.isFetching}>
            <table>
              <caption className="visually-hidden">
                Products, page {page.pagination.page} of {page.pagination.total_pages}
              </caption>
              <thead>
                <tr>
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
                  <th scope="col" className="number">
                    Stock
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((product) => (
                  <tr key={product.id}>
                    <td className="thumb-col">
                      {product.primary_image ? (
                        <img
                          className="thumb"
                          src={
                            product.primary_image.thumbnail_url ?? product.primary_image.image_url
                          }
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
                    <td>{product.category.name}</td>
                    <td className="number">{money(product.price)}</td>
                    <td className="number">
                      {product.stock_quantity === 0 ? (
                        <span className="badge warn">Out of stock</span>
                      ) : (
                        product.stock_quantity
                      )}
                    </td>
                    <td>
                      {product.is_active ? 'Active' : <span className="badge">Inactive</span>}
                    </td>
                    <td className="row-actions">
                      <Link to={`/products/${product.id}`} aria-label={`Edit ${product.name}`}>
                        Edit
                      </Link>
                      <button
                        type="button"
                        className="link-button danger"
                        aria-label={`Delete ${product.name}`}
                        onClick={() => {
                          remove.reset();
                          setDeleting(product);
                        }}
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination
            label="Product pages"
            pagination={page.pagination}
            onPage={(number) => update({ page: String(number) }, true)}
          />
        </>
      ) : null}

      <ConfirmDialog
        open={deleting !== null}
        title={`Delete “${deleting?.name ?? ''}”?`}
        confirmLabel="Delete product"
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onCancel={() => setDeleting(null)}
      >
        <p>The product and its images are removed for good.</p>
      </ConfirmDialog>
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
  const [search, setSearch] = useState(params.get('search') ?? '');
  const [categoryId, setCategoryId] = useState(params.get('category_id') ?? '');
  const [minPrice, setMinPrice] = useState(params.get('min_price') ?? '');
  const [maxPrice, setMaxPrice] = useState(params.get('max_price') ?? '');
  const [inStock, setInStock] = useState(params.get('in_stock') === 'true');
  const [activeOnly, setActiveOnly] = useState(params.get('status') === 'active');
  const [checked, setChecked] = useState(false);

  const minError = moneyError(minPrice);
  const maxError = moneyError(maxPrice);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (minError || maxError) return;
    onApply({
      search: search.trim() || null,
      category_id: categoryId || null,
      min_price: minPrice.trim() || null,
      max_price: maxPrice.trim() || null,
      in_stock: inStock ? 'true' : null,
      status: activeOnly ? 'active' : null,
    });
  };

  return (
    <form className="filters card" onSubmit={submit} aria-labelledby="filters-heading" noValidate>
      <h2 id="filters-heading" className="visually-hidden">
        Filters
      </h2>
      <TextField
        label="Search"
        type="search"
        name="search"
        placeholder="Name or description"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        error={serverErrors.search}
      />
      <SelectField
        label="Category"
        name="category_id"
        hint="Includes its subcategories."
        value={categoryId}
        onChange={(event) => setCategoryId(event.target.value)}
        error={serverErrors.category_id}
      >
        <option value="">All categories</option>
        {flatten(tree.data ?? []).map((entry) => (
          <option key={entry.category.id} value={entry.category.id}>
            {indented(entry)}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Minimum price"
        name="min_price"
        inputMode="decimal"
        value={minPrice}
        onChange={(event) => setMinPrice(event.target.value)}
        error={(checked ? minError : undefined) ?? serverErrors.min_price}
      />
      <TextField
        label="Maximum price"
        name="max_price"
        inputMode="decimal"
        value={maxPrice}
        onChange={(event) => setMaxPrice(event.target.value)}
        error={(checked ? maxError : undefined) ?? serverErrors.max_price}
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
      <div className="actions">
        <button type="submit" className="button">
          Apply filters
        </button>
        <button
          type="button"
          className="button secondary"
          onClick={() =>
            onApply({
              search: null,
              category_id: null,
              min_price: null,
              max_price: null,
              in_stock: null,
              status: null,
            })
          }
        >
          Clear filters
        </button>
      </div>
    </form>
  );
}
