import { Link } from 'react-router';

import { type CartLine, useRemoveCartLine, useUpdateCartLine } from '../cart';
import { thumbnailOf } from '../catalog';
import { messageOf } from '../errors';
import { useMoney } from '../money';
import { ProductImage } from './ProductImage';

/** What stands between this line and checkout, in words; undefined when nothing does. */
export function lineProblem(line: CartLine): string | undefined {
  if (!line.is_available) return 'No longer available. Remove it to check out.';
  if (line.quantity > line.stock_quantity) return `Only ${line.stock_quantity} left in stock.`;
  return undefined;
}

/** One cart line: change its quantity (within stock) or remove it; every change is saved at once. */
export function CartLineItem({ line }: { line: CartLine }) {
  const money = useMoney();
  const update = useUpdateCartLine();
  const remove = useRemoveCartLine();
  const busy = update.isPending || remove.isPending;
  const setQuantity = (quantity: number) =>
    update.mutate({ product_id: line.product_id, quantity });
  const problem = lineProblem(line);
  const error = update.error ?? remove.error;

  return (
    <li className={problem ? 'cart-line has-problem' : 'cart-line'}>
      <div className="image-box cart-line-image">
        {line.primary_image ? (
          <ProductImage
            src={thumbnailOf(line.primary_image)}
            alt=""
            width={96}
            height={96}
            loading="lazy"
          />
        ) : (
          <span className="no-image">No image</span>
        )}
      </div>
      <div className="cart-line-body">
        <h2 className="cart-line-name">
          <Link to={`/products/${line.product_id}`}>{line.name}</Link>
        </h2>
        <p className="muted">{money.format(line.unit_price)} each</p>
        {problem && (
          <p className="line-problem">
            {problem}{' '}
            {line.is_available && (
              <button
                type="button"
                className="link-button"
                disabled={busy}
                onClick={() => setQuantity(line.stock_quantity)}
              >
                Change to {line.stock_quantity}
              </button>
            )}
          </p>
        )}
        <div className="cart-line-actions">
          <div className="stepper" role="group" aria-label={`Quantity of ${line.name}`}>
            <button
              type="button"
              aria-label={`One less ${line.name}`}
              disabled={busy || line.quantity <= 1}
              onClick={() => setQuantity(line.quantity - 1)}
            >
              −
            </button>
            <output aria-live="polite">{line.quantity}</output>
            <button
              type="button"
              aria-label={`One more ${line.name}`}
              disabled={busy || line.quantity >= line.stock_quantity}
              onClick={() => setQuantity(line.quantity + 1)}
            >
              +
            </button>
          </div>
          <button
            type="button"
            className="link-button"
            disabled={busy}
            onClick={() => remove.mutate({ product_id: line.product_id })}
          >
            Remove<span className="visually-hidden"> {line.name}</span>
          </button>
        </div>
        {error && (
          <p className="field-error" role="alert">
            {messageOf(error)}
          </p>
        )}
      </div>
      <p className="cart-line-total">{money.format(line.line_total)}</p>
    </li>
  );
}
