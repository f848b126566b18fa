import type { RouterInputs, RouterOutputs } from '@buybuy/client';
import { checkPriceFilter } from '@buybuy/validators';

export type ListInput = RouterInputs['products']['list'];
export type ProductPage = RouterOutputs['products']['list'];
export type ListItem = ProductPage['items'][number];
export type Product = RouterOutputs['products']['byId'];
export type ProductImage = Product['images'][number];
export type CategoryNode = RouterOutputs['categories']['list'][number];
export type Sort = NonNullable<ListInput['sort']>;

export const PER_PAGE = 12;

export const SORT_LABELS = {
  relevance: 'Best match',
  newest: 'Newest',
  price_asc: 'Price: low to high',
  price_desc: 'Price: high to low',
  name: 'Name',
} satisfies Record<Sort, string>;

const isSort = (value: string | null): value is Sort => value !== null && value in SORT_LABELS;

/** With a search the API ranks by relevance ("Best match"); without one, newest first. */
export const defaultSort = (q: string | undefined): Sort => (q ? 'relevance' : 'newest');

/** The sort choices that mean something for this search ("Best match" needs one). */
export const sortChoices = (q: string | undefined) =>
  (Object.entries(SORT_LABELS) as [Sort, string][]).filter(([sort]) => q || sort !== 'relevance');

/**
 * The listing as the URL says it: `?category=3&min_price=10&max_price=50&in_stock=1&q=lamp&sort=price_asc&page=2`.
 * Prices are checked in the page with the API's own rules (checkPriceFilter) and explained on their
 * fields; other values go to the API as written, so a bad one is reported rather than silently dropped.
 */
export interface CatalogFilters {
  category: string | undefined;
  min_price: string | undefined;
  max_price: string | undefined;
  in_stock: boolean;
  q: string | undefined;
  sort: Sort;
  page: string | undefined;
}

const text = (params: URLSearchParams, name: string) => params.get(name)?.trim() || undefined;

export function readFilters(params: URLSearchParams): CatalogFilters {
  const sort = params.get('sort');
  const inStock = params.get('in_stock');
  return {
    category: text(params, 'category'),
    min_price: text(params, 'min_price'),
    max_price: text(params, 'max_price'),
    in_stock: inStock === '1' || inStock === 'true',
    q: text(params, 'q'),
    sort:
      isSort(sort) && (sort !== 'relevance' || text(params, 'q'))
        ? sort
        : defaultSort(text(params, 'q')),
    page: text(params, 'page'),
  };
}

/** The search params for some filters, leaving out defaults so shared links stay short. */
export function filtersToParams(filters: CatalogFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.category) params.set('category', filters.category);
  if (filters.min_price) params.set('min_price', filters.min_price);
  if (filters.max_price) params.set('max_price', filters.max_price);
  if (filters.in_stock) params.set('in_stock', '1');
  if (filters.q) params.set('q', filters.q);
  if (filters.sort !== defaultSort(filters.q)) params.set('sort', filters.sort);
  if (filters.page && filters.page !== '1') params.set('page', filters.page);
  return params;
}

/** The price filter of the URL, checked: normalised amounts, and a sentence for each bad one. */
export const priceFilterOf = (filters: CatalogFilters) =>
  checkPriceFilter(filters.min_price ?? '', filters.max_price ?? '');

export function filtersToInput(filters: CatalogFilters): ListInput {
  const prices = priceFilterOf(filters).values;
  return {
    per_page: PER_PAGE,
    sort: filters.sort,
    ...(filters.page && { page: filters.page }),
    ...(filters.category && { category_id: filters.category }),
    ...(prices.min_price && { min_price: prices.min_price }),
    ...(prices.max_price && { max_price: prices.max_price }),
    ...(filters.in_stock && { in_stock: true }),
    ...(filters.q && { search: filters.q }),
  };
}

/** The category with this id, and the path of its ancestors, in the tree. */
export function findCategory(
  nodes: readonly CategoryNode[],
  id: string | undefined,
  path: CategoryNode[] = [],
): CategoryNode[] | undefined {
  if (!id) return undefined;
  for (const node of nodes) {
    if (String(node.id) === id) return [...path, node];
    const found = findCategory(node.children ?? [], id, [...path, node]);
    if (found) return found;
  }
  return undefined;
}

/** The image to show in a small slot: the thumbnail when the server made one. */
export const thumbnailOf = (image: ProductImage) => image.thumbnail_url ?? image.image_url;

/** Primary first, then by position (the API already sends them so; this keeps the page honest). */
export const orderImages = (images: readonly ProductImage[]) =>
  [...images].sort(
    (a, b) => Number(b.is_primary) - Number(a.is_primary) || a.position - b.position,
  );

const plural = new Intl.PluralRules('en');
/** "1 product", "12 products". */
export const productCount = (count: number) =>
  `${count} ${plural.select(count) === 'one' ? 'product' : 'products'}`;

/** How many filters beyond the category are set (search, prices, stock, a sort other than the default). */
export const activeFilterCount = (filters: CatalogFilters) =>
  [
    filters.q,
    filters.min_price,
    filters.max_price,
    filters.in_stock,
    filters.sort !== defaultSort(filters.q),
  ].filter(Boolean).length;

export const stockLabel = (quantity: number) => (quantity > 0 ? 'In stock' : 'Out of stock');
