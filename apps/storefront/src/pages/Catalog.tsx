import { checkPriceFilter, normaliseDecimalComma, type PriceFilter } from '@buybuy/validators';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';

import {
  activeFilterCount,
  type CatalogFilters,
  defaultSort,
  filtersToInput,
  filtersToParams,
  findCategory,
  priceFilterOf,
  productCount,
  readFilters,
  type Sort,
  sortChoices,
} from '../catalog';
import { CategoryTree } from '../components/CategoryTree';
import { Collapsible } from '../components/Collapsible';
import { Pagination } from '../components/Pagination';
import { ProductCard } from '../components/ProductCard';
import { ErrorNotice, Loading, TextField } from '../components/ui';
import { fieldMessagesOf } from '../errors';
import { useMoney } from '../money';
import { categoryTreeQuery, productListQuery } from '../queries';

/** Cards in the first rows of a phone or laptop screen load without waiting. */
const EAGER_CARDS = 4;

export default function Catalog() {
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  // A price filter the API would refuse (from the form or a shared link) is explained on its
  // field and never sent: asking the server would only bring back its field names.
  const priceErrorsInUrl = priceFilterOf(filters).errors;
  const pricesValid = Object.keys(priceErrorsInUrl).length === 0;
  // The problems of a submit that was refused, for the address it was refused at.
  const [refused, setRefused] = useState<{ at: string; errors: PriceFilter['errors'] } | null>(
    null,
  );
  const priceErrors = refused?.at === params.toString() ? refused.errors : priceErrorsInUrl;
  const categories = useQuery(categoryTreeQuery);
  const products = useQuery({
    ...productListQuery(filtersToInput(filters)),
    enabled: pricesValid,
  });
  const { symbol } = useMoney();

  const path = findCategory(categories.data ?? [], filters.category);
  const category = path?.at(-1);
  const title = filters.category ? (category?.name ?? 'Products') : 'All products';
  const fieldErrors = fieldMessagesOf(products.error);

  // The URL is the source of truth: the form only writes it.
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    const prices = checkPriceFilter(value('min_price') ?? '', value('max_price') ?? '');
    if (Object.keys(prices.errors).length > 0) {
      setRefused({ at: params.toString(), errors: prices.errors });
      return;
    }
    setRefused(null);
    const price = (name: string) => {
      const text = value(name);
      return text && normaliseDecimalComma(text);
    };
    const chosenSort = value('sort') as Sort | undefined;
    const next: CatalogFilters = {
      category: filters.category,
      q: value('q'),
      min_price: price('min_price'),
      max_price: price('max_price'),
      in_stock: form.get('in_stock') === '1',
      // A sort left at the default follows the new search's default (Best match with one).
      sort:
        !chosenSort || chosenSort === defaultSort(filters.q) ? defaultSort(value('q')) : chosenSort,
      page: undefined,
    };
    setParams(filtersToParams(next));
  };
  const submitOnChange = (event: { currentTarget: HTMLInputElement | HTMLSelectElement }) =>
    event.currentTarget.form?.requestSubmit();

  const data = products.data;
  // Filters beyond the category (which the tree clears): search, price, stock, sort.
  const hasFilters =
    filtersToParams({ ...filters, category: undefined, page: undefined }).toString() !== '';
  const activeFilters = activeFilterCount(filters);
  const hasPriceErrors = Object.keys(priceErrors).length > 0;

  return (
    <>
      <title>{`${title} · BuyBuy`}</title>
      {path && path.length > 1 && (
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <ol>
            <li>
              <Link to="/">All products</Link>
            </li>
            {path.slice(0, -1).map((node) => (
              <li key={node.id}>
                <Link to={`/?category=${node.id}`}>{node.name}</Link>
              </li>
            ))}
          </ol>
        </nav>
      )}
      <h1>{title}</h1>
      {category?.description && <p className="lead">{category.description}</p>}

      <div className="catalog">
        <aside className="catalog-side" aria-labelledby="categories-heading">
          <Collapsible
            id="categories-heading"
            heading="Categories"
            summary={category ? `Categories: ${category.name}` : 'Categories'}
          >
            {categories.isPending ? (
              <Loading>Loading categories…</Loading>
            ) : categories.isError ? (
              <ErrorNotice error={categories.error} onRetry={() => void categories.refetch()} />
            ) : (
              <CategoryTree nodes={categories.data} current={filters.category} />
            )}
          </Collapsible>
        </aside>

        <div className="catalog-main">
          <Collapsible
            id="filters-heading"
            heading="Filter and sort"
            summary={`Filter and sort${activeFilters > 0 ? ` (${activeFilters} active)` : ''}`}
            open={hasPriceErrors}
            headingHiddenWhenWide
          >
            <form
              key={params.toString()}
              className="filters"
              role="search"
              aria-labelledby="filters-heading"
              onSubmit={onSubmit}
              noValidate
            >
              <TextField
                className="filter-search"
                label="Search"
                name="q"
                type="search"
                defaultValue={filters.q ?? ''}
                error={fieldErrors.search}
              />
              <TextField
                label={`Min price (${symbol})`}
                name="min_price"
                inputMode="decimal"
                autoComplete="off"
                defaultValue={filters.min_price ?? ''}
                error={priceErrors.min_price ?? fieldErrors.min_price}
              />
              <TextField
                label={`Max price (${symbol})`}
                name="max_price"
                inputMode="decimal"
                autoComplete="off"
                defaultValue={filters.max_price ?? ''}
                error={priceErrors.max_price ?? fieldErrors.max_price}
              />
              <div className="field field-check">
                <input
                  id="in-stock"
                  type="checkbox"
                  name="in_stock"
                  value="1"
                  defaultChecked={filters.in_stock}
                  onChange={submitOnChange}
                />
                <label htmlFor="in-stock">In stock only</label>
              </div>
              <div className="field">
                <label htmlFor="sort">Sort by</label>
                <select id="sort" name="sort" defaultValue={filters.sort} onChange={submitOnChange}>
                  {sortChoices(filters.q).map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              </div>
              <div className="filter-actions">
                <button type="submit">Apply filters</button>
                {hasFilters && (
                  <Link
                    to={filters.category ? `/?category=${filters.category}` : '/'}
                    className="button-secondary"
                  >
                    Clear filters
                  </Link>
                )}
              </div>
            </form>
          </Collapsible>

          <section aria-labelledby="results-heading" aria-busy={products.isFetching}>
            <h2 id="results-heading" className="results-heading">
              {data && pricesValid ? productCount(data.pagination.total) : 'Products'}
            </h2>
            <p className="visually-hidden" role="status">
              {products.isFetching
                ? 'Loading products…'
                : data && pricesValid
                  ? `${productCount(data.pagination.total)} found`
                  : ''}
            </p>
            {!pricesValid ? (
              <div className="empty">
                <p>Correct the price filter to see products.</p>
              </div>
            ) : products.isError ? (
              <ErrorNotice error={products.error} onRetry={() => void products.refetch()} />
            ) : !data ? (
              <Loading>Loading products…</Loading>
            ) : data.items.length === 0 ? (
              <div className="empty">
                <p>No products match these filters.</p>
                {(hasFilters || filters.category) && <Link to="/">Show all products</Link>}
              </div>
            ) : (
              <>
                <ul className={`product-grid${products.isPlaceholderData ? ' is-stale' : ''}`}>
                  {data.items.map((product, index) => (
                    <ProductCard key={product.id} product={product} eager={index < EAGER_CARDS} />
                  ))}
                </ul>
                <Pagination page={data.pagination.page} totalPages={data.pagination.total_pages} />
              </>
            )}
          </section>
        </div>
      </div>
    </>
  );
}
