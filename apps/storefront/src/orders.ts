import { ORDER_STATUS_LABELS, type RouterOutputs, withOrderToken } from '@buybuy/client';
import { queryOptions } from '@tanstack/react-query';

import { api, queries } from './api';

export type Order = RouterOutputs['orders']['byId'];
export type OrderStatus = Order['status'];
export type OrderSummary = RouterOutputs['orders']['list']['items'][number];

export const STATUS_LABELS = ORDER_STATUS_LABELS;

/** One order; a guest reads theirs with the order token kept when they placed it. */
export const orderQuery = (id: number, orderToken: string | undefined) =>
  queryOptions({
    queryKey: queries.orders.byId.queryKey({ id }),
    queryFn: () =>
      api.orders.byId.query({ id }, orderToken ? withOrderToken(orderToken) : undefined),
  });

export const ORDERS_PER_PAGE = 10;

export const ordersQuery = (page: number) =>
  queries.orders.list.queryOptions({ page, per_page: ORDERS_PER_PAGE });

/** What only the checkout's answer carries, kept so the confirmation survives a reload. */
export interface PlacedOrderNote {
  /** A guest's key to the order (a signed-in owner needs none). */
  token?: string;
  payment_instructions: string;
}

const STORAGE_KEY = 'buybuy.storefront.orders';
/** The newest orders only: enough to come back to a confirmation, without growing for ever. */
const KEPT = 20;
/** This page's own copy, for when storage refuses (private mode, full): only a reload loses it. */
const inPage = new Map<number, PlacedOrderNote>();

function readNotes(): [number, PlacedOrderNote][] {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as [number, PlacedOrderNote][]) : [];
  } catch {
    return [];
  }
}

export function rememberPlacedOrder(id: number, note: PlacedOrderNote): void {
  inPage.set(id, note);
  const notes = [[id, note] as [number, PlacedOrderNote], ...readNotes().filter(([n]) => n !== id)];
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(notes.slice(0, KEPT)));
  } catch {
    // Kept in `inPage` instead.
  }
}

export const placedOrderNote = (id: number): PlacedOrderNote | undefined =>
  inPage.get(id) ?? readNotes().find(([n]) => n === id)?.[1];

/** "29 Nov 2026, 14:05" in the shopper's locale. */
export const formatDateTime = (iso: string) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );
