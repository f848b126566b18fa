import { type ReactNode } from 'react';

/** A column of amounts or counts: right-aligned, so digits line up. */
export function NumberHeader({ children }: { children: ReactNode }) {
  return (
    <th scope="col" className="number">
      {children}
    </th>
  );
}

/** The row buttons' column: named for screen readers, blank on screen. */
export function ActionsHeader() {
  return (
    <th scope="col">
      <span className="visually-hidden">Actions</span>
    </th>
  );
}

/** Stock left, with "Out of stock" flagged rather than a bare 0. */
export function StockCell({ quantity }: { quantity: number }) {
  return (
    <td className="number">
      {quantity === 0 ? <span className="badge warn">Out of stock</span> : quantity}
    </td>
  );
}
