import { useMoney } from '../money';

/** A line of a cart under review or of a placed order. */
interface SummaryLine {
  name: string;
  unit_price: string;
  quantity: number;
  line_total: string;
}

/** Lines as "name, quantity × unit price, line total": fits a phone without a table. */
export function SummaryLines({
  lines,
  problems = {},
}: {
  lines: readonly SummaryLine[];
  /** A message under a line, by its index (the server's `items.N.quantity`). */
  problems?: Record<number, string>;
}) {
  const money = useMoney();
  return (
    <ul className="summary-lines">
      {lines.map((line, index) => (
        <li key={`${index}-${line.name}`}>
          <span className="summary-line-name">{line.name}</span>
          <span className="muted">
            {line.quantity} × {money.format(line.unit_price)}
          </span>
          <span className="summary-line-total">{money.format(line.line_total)}</span>
          {problems[index] && <span className="line-problem">{problems[index]}</span>}
        </li>
      ))}
    </ul>
  );
}

/** Subtotal, shipping and total, as the server computed them (or will). */
export function Totals({
  subtotal,
  shipping,
  total,
}: {
  subtotal: string;
  /** Absent until a method is chosen. */
  shipping?: { name: string; price: string } | undefined;
  total?: string | undefined;
}) {
  const money = useMoney();
  return (
    <dl className="totals">
      <dt>Subtotal</dt>
      <dd>{money.format(subtotal)}</dd>
      {shipping && (
        <>
          <dt>Shipping ({shipping.name})</dt>
          <dd>{money.format(shipping.price)}</dd>
        </>
      )}
      {total !== undefined && (
        <>
          <dt className="grand-total">Total</dt>
          <dd className="grand-total">{money.format(total)}</dd>
        </>
      )}
    </dl>
  );
}
