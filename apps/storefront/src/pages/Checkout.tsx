import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';

import { useAuth } from '../auth';
import { useCart } from '../cart';
import { shippingMethodsQuery, usePlaceOrder } from '../checkout';
import { ADDRESS_FIELDS, AddressFields } from '../components/AddressFields';
import { lineProblem } from '../components/CartLineItem';
import { SummaryLines, Totals } from '../components/OrderSummary';
import { ShippingChoice } from '../components/ShippingChoice';
import { ErrorNotice, FormAlert, Loading, TextField } from '../components/ui';
import { fieldMessagesOf, messageOf, otherErrorsOf } from '../errors';
import { addAmounts } from '../money';

/** The line index of a server field such as `items.2.quantity`. */
const LINE_FIELD = /^items\.(\d+)\./;

export default function Checkout() {
  const { signedIn, me, loading } = useAuth();
  const cart = useCart();
  const methods = useQuery(shippingMethodsQuery);
  const place = usePlaceOrder();
  const [methodId, setMethodId] = useState<number | undefined>(undefined);

  if (loading || cart.isPending || methods.isPending) return <Loading>Loading checkout…</Loading>;
  const failed = cart.error ?? methods.error;
  if (failed) {
    return (
      <>
        <title>Checkout · BuyBuy</title>
        <h1>Checkout</h1>
        <ErrorNotice
          error={failed}
          onRetry={() => void Promise.all([cart.refetch(), methods.refetch()])}
        />
      </>
    );
  }
  const { items, subtotal } = cart.data!;
  if (items.length === 0) {
    return (
      <>
        <title>Checkout · BuyBuy</title>
        <h1>Checkout</h1>
        <div className="empty">
          <p>Your cart is empty.</p>
          <Link to="/">Continue shopping</Link>
        </div>
      </>
    );
  }

  const method = methods.data!.find((m) => m.id === methodId) ?? methods.data![0];
  const fields = fieldMessagesOf(place.error);
  const problems: Record<number, string> = {};
  items.forEach((line, index) => {
    const problem = lineProblem(line);
    if (problem) problems[index] = problem;
  });
  for (const [field, message] of Object.entries(fields)) {
    const index = LINE_FIELD.exec(field)?.[1];
    if (index !== undefined) problems[Number(index)] ??= message;
  }
  const blocked = items.some((line) => lineProblem(line) !== undefined);
  const shown = [
    'email',
    'shipping_method_id',
    ...ADDRESS_FIELDS.map((name) => `shipping_address.${name}`),
    ...items.map((_, index) => `items.${index}.quantity`),
  ];
  const messages = place.error
    ? [messageOf(place.error), ...otherErrorsOf(place.error, shown)]
    : [];

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!method || blocked || place.isPending) return;
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '');
    place.mutate({
      email: value('email'),
      shipping_address: Object.fromEntries(
        ADDRESS_FIELDS.map((name) => [name, value(name)]),
      ) as Record<(typeof ADDRESS_FIELDS)[number], string>,
      shipping_method_id: method.id,
    });
  };

  return (
    <>
      <title>Checkout · BuyBuy</title>
      <h1>Checkout</h1>
      {!signedIn && (
        <p className="lead">
          Checking out as a guest. Have an account?{' '}
          <Link to="/sign-in?next=/checkout">Sign in</Link>
        </p>
      )}
      <form className="checkout" onSubmit={onSubmit} noValidate>
        <div className="checkout-details">
          <FormAlert messages={[...new Set(messages)]} />
          <section className="stack" aria-labelledby="contact-heading">
            <h2 id="contact-heading">Contact</h2>
            <TextField
              label="Email"
              name="email"
              type="email"
              autoComplete="email"
              required
              defaultValue={me?.email ?? ''}
              hint="For questions about your order."
              error={fields.email}
            />
          </section>
          <section className="stack" aria-labelledby="address-heading">
            <h2 id="address-heading">Shipping address</h2>
            <AddressFields me={me} errors={fields} />
          </section>
          <section className="stack" aria-labelledby="method-heading">
            <h2 id="method-heading">Shipping method</h2>
            <ShippingChoice
              methods={methods.data!}
              chosen={method}
              onChoose={setMethodId}
              error={fields.shipping_method_id}
            />
          </section>
        </div>

        <section className="summary checkout-review" aria-labelledby="review-heading">
          <h2 id="review-heading">Review your order</h2>
          <SummaryLines lines={items} problems={problems} />
          <Totals
            subtotal={subtotal}
            shipping={method}
            total={method && addAmounts(subtotal, method.price)}
          />
          {blocked && (
            <p className="line-problem">
              Some items need your attention: <Link to="/cart">update your cart</Link>.
            </p>
          )}
          <button type="submit" disabled={!method || blocked || place.isPending}>
            {place.isPending ? 'Placing your order…' : 'Place order'}
          </button>
          <p className="muted">How to pay is shown once your order is placed.</p>
        </section>
      </form>
    </>
  );
}
