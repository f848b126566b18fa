import { type FormEvent, useId, useState } from 'react';
import { Link } from 'react-router';

import { addableQuantity, useAddToCart, useCart } from '../cart';
import { messageOf } from '../errors';

interface AddToCartProps {
  productId: number;
  /** The product's name, read with the controls so each card's button says which product. */
  name: string;
  stock: number;
  /** On a listing card: smaller, the quantity beside its label and the button below. */
  compact?: boolean;
}

/** A quantity (bounded by what is left after what the cart holds) and the button that adds it. */
export function AddToCart({ productId, name, stock, compact = false }: AddToCartProps) {
  const id = useId();
  const cart = useCart();
  const add = useAddToCart();
  const [wanted, setWanted] = useState(1);
  const addable = addableQuantity(cart.data, productId, stock);
  const quantity = Math.min(Math.max(wanted, 1), Math.max(addable, 1));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    add.mutate({ product_id: productId, quantity }, { onSuccess: () => setWanted(1) });
  };

  const nameId = `${id}-name`;
  return (
    <form className={compact ? 'add-to-cart compact' : 'add-to-cart'} onSubmit={onSubmit}>
      <span id={nameId} hidden>
        {name}
      </span>
      {addable > 0 ? (
        <>
          <div className="field quantity-field">
            <label htmlFor={`${id}-quantity`}>Quantity</label>
            <input
              id={`${id}-quantity`}
              type="number"
              inputMode="numeric"
              min={1}
              max={addable}
              step={1}
              value={quantity}
              aria-describedby={nameId}
              onChange={(event) => setWanted(Number(event.target.value) || 1)}
            />
          </div>
          <button type="submit" disabled={add.isPending} aria-describedby={nameId}>
            {add.isPending ? 'Adding…' : 'Add to cart'}
          </button>
        </>
      ) : (
        <button type="button" disabled aria-describedby={nameId}>
          {stock > 0 ? 'All in your cart' : 'Out of stock'}
        </button>
      )}
      <p className="add-to-cart-status" role="status">
        {add.isSuccess && (
          <>
            Added to your cart. <Link to="/cart">View cart</Link>
          </>
        )}
      </p>
      {add.isError && (
        <p className="field-error" role="alert">
          {messageOf(add.error)}
        </p>
      )}
    </form>
  );
}
