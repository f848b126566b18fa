import type { CategoryTree } from '../categories/service';
import { conflict } from '../errors';

/** What decides whether a product can be sold, as read with a cart line. */
export interface Sellable {
  is_active: boolean;
  category_id: number;
  stock_quantity: number;
}

/**
 * A product can be put in a cart and ordered when the public could see it:
 * active, in a category that is active with all its ancestors (the catalog's
 * own rule, CategoryTree.isPublic). A deleted product has no row at all.
 */
export const isSellable = (product: Sellable | undefined, tree: CategoryTree): boolean =>
  !!product && product.is_active && tree.isPublic(product.category_id);

/** How many the shopper may take now: the stock of a sellable product, else 0. */
export const availableStock = (product: Sellable | undefined, tree: CategoryTree): number =>
  product && isSellable(product, tree) ? product.stock_quantity : 0;

// Codes of the contract's Selling section (409 at the offending field).
export const productUnavailable = (field: string) =>
  conflict('PRODUCT_UNAVAILABLE', 'This product is no longer available', field);

export const outOfStock = (field: string, available: number) =>
  conflict(
    'OUT_OF_STOCK',
    available === 0 ? 'This product is out of stock' : `Only ${available} left in stock`,
    field,
  );

/** The field path of a cart line's quantity, as the contract writes it: `items.2.quantity`. */
export const lineField = (index: number) => `items.${index}.quantity`;
