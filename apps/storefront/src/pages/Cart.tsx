import { Link } from 'react-router';

import { useCart } from '../cart';
import { CartLineItem, lineProblem } from '../components/CartLineItem';
import { ErrorNotice, Loading } from '../components/ui';
import { useMoney } from '../money';

export default function Cart() {
  const cart = useCart();
  const money = useMoney();

  if (cart.isPending) return <Loading>Loading your cart…</Loading>;
  if (cart.isError) {
    return (
      <>
        <title>Cart · BuyBuy</title>
        <h1>Your cart</h1>
        <ErrorNotice error={cart.error} onRetry={() => void cart.refetch()} />
      </>
    );
  }

  const { items, subtotal, item_count: count } = cart.data;
  const blocked = items.some((line) => lineProblem(line) !== undefined);
  return (
    <>
      <title>{`Cart (${count}) · BuyBuy`}</title>
      <h1>Your cart</h1>
      {items.length === 0 ? (
        <div className="empty">
          <p>Your cart is empty.</p>
          <Link to="/">Continue shopping</Link>
        </div>
      ) : (
        <div className="cart">
          <ul className="cart-lines">
            {items.map((line) => (
              <CartLineItem key={line.product_id} line={line} />
            ))}
          </ul>
          <section className="summary" aria-labelledby="summary-heading">
            <h2 id="summary-heading">Summary</h2>
            <dl className="totals">
              <dt>
                Subtotal ({count} {count === 1 ? 'item' : 'items'})
              </dt>
              <dd>{money.format(subtotal)}</dd>
            </dl>
            <p className="muted">Shipping is chosen at checkout.</p>
            {blocked ? (
              <>
                <p className="line-problem">Some items need your attention before checkout.</p>
                <button type="button" disabled>
                  Checkout
                </button>
              </>
            ) : (
              <Link to="/checkout" className="button">
                Checkout
              </Link>
            )}
            <p>
              <Link to="/">Continue shopping</Link>
            </p>
          </section>
        </div>
      )}
    </>
  );
}
