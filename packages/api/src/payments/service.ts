/**
 * Payments. BuyBuy takes no card data and pretends no card processing: the
 * one built-in provider is `manual` (bank transfer, cash on delivery), where
 * the customer is told how to pay and an admin marks the order paid
 * (`orders.markPaid` → markOrderPaid, `pending_payment → paid`).
 *
 * How a card provider plugs in: implement PaymentProvider with
 * `confirmedBy: 'webhook'` and add it to PAYMENT_PROVIDERS. At checkout its
 * `instructions` would come from creating the provider's payment for the
 * order's number and total (a redirect URL or a client secret for the
 * storefront). Its payments are confirmed by a plain Fastify route, e.g.
 * `POST /webhooks/payments/<provider>`, that checks the provider's signature
 * on the raw body, finds the order by the reference it carries, and calls
 * markOrderPaid with the `system` actor; the status change makes a repeated
 * webhook a harmless INVALID_TRANSITION. Admins cannot mark such orders paid.
 */

/** What a provider needs to know about the order being paid. */
export interface PaymentSubject {
  number: string;
  total: string;
  currency: string;
}

export interface PaymentProvider {
  /** Stored in orders.payment_provider. */
  readonly id: string;
  /** Who confirms a payment: an admin by hand, or the provider's webhook. */
  readonly confirmedBy: 'admin' | 'webhook';
  /** What the customer is told to do once the order is placed. */
  instructions(order: PaymentSubject): string;
}

export const manualPayments: PaymentProvider = {
  id: 'manual',
  confirmedBy: 'admin',
  instructions: (order) =>
    `Pay ${order.total} ${order.currency} by bank transfer quoting ${order.number}, ` +
    'or on delivery. We ship once the payment is confirmed.',
};

export const PAYMENT_PROVIDERS: Readonly<Record<string, PaymentProvider>> = {
  [manualPayments.id]: manualPayments,
};

/** The provider an order was placed with; unknown ids (a provider removed since) are an error. */
export function paymentProvider(id: string): PaymentProvider {
  const provider = PAYMENT_PROVIDERS[id];
  if (!provider) throw new Error(`Unknown payment provider "${id}"`);
  return provider;
}
