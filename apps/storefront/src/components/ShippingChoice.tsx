import type { RouterOutputs } from '@buybuy/client';

import { useMoney } from '../money';

export type ShippingMethod = RouterOutputs['shippingMethods']['list'][number];

/** The flat-rate methods as radio buttons, each with its price. */
export function ShippingChoice({
  methods,
  chosen,
  onChoose,
  error,
}: {
  methods: readonly ShippingMethod[];
  chosen: ShippingMethod | undefined;
  onChoose: (id: number) => void;
  error: string | undefined;
}) {
  const money = useMoney();
  if (methods.length === 0) {
    return <p className="line-problem">No shipping methods are available right now.</p>;
  }
  return (
    <>
      <fieldset className="choices">
        <legend className="visually-hidden">Shipping method</legend>
        {methods.map((method) => (
          <label key={method.id} className="choice">
            <input
              type="radio"
              name="shipping_method"
              value={method.id}
              checked={method.id === chosen?.id}
              onChange={() => onChoose(method.id)}
            />
            <span>{method.name}</span>
            <span className="choice-price">
              {method.price === '0.00' ? 'Free' : money.format(method.price)}
            </span>
          </label>
        ))}
      </fieldset>
      {error && <span className="field-error">{error}</span>}
    </>
  );
}
