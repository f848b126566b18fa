import escapeHtml from 'escape-html';

import type { EmailMessage } from './mailer';

/** A rendered email without its recipient. */
export type EmailContent = Omit<EmailMessage, 'to'>;

interface LinkEmail {
  /** The shop's name, as it signs its emails. */
  shop: string;
  /** The link the reader follows (to the storefront), carrying its token. */
  url: string;
}

/**
 * One shape for every account email: a heading, a sentence, the action as a
 * real link with words that say where it goes, the address spelled out for
 * mail clients that drop links, and what to do if the reader did not ask.
 * Plain HTML with no images, tables or colours to lose: screen readers and
 * text-only clients read it in order, and the text part says the same.
 */
function linkEmail(parts: {
  subject: string;
  heading: string;
  intro: string;
  action: string;
  url: string;
  expires: string;
  ignore: string;
  shop: string;
}): EmailContent {
  const text = [
    parts.heading,
    '',
    parts.intro,
    '',
    `${parts.action}:`,
    parts.url,
    '',
    parts.expires,
    parts.ignore,
    '',
    `— ${parts.shop}`,
    '',
  ].join('\n');
  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(parts.subject)}</title>
</head>
<body style="font-family: sans-serif; font-size: 16px; line-height: 1.5; max-width: 36em; margin: 0 auto; padding: 1em;">
<h1 style="font-size: 1.4em;">${e(parts.heading)}</h1>
<p>${e(parts.intro)}</p>
<p><a href="${e(parts.url)}">${e(parts.action)}</a></p>
<p>If the link does not open, copy this address into your browser:<br>${e(parts.url)}</p>
<p>${e(parts.expires)} ${e(parts.ignore)}</p>
<p>— ${e(parts.shop)}</p>
</body>
</html>
`;
  return { subject: parts.subject, text, html };
}

export function passwordResetEmail({ shop, url }: LinkEmail): EmailContent {
  return linkEmail({
    subject: `Reset your ${shop} password`,
    heading: 'Reset your password',
    intro: `Someone, hopefully you, asked to reset the password of your ${shop} account.`,
    action: 'Choose a new password',
    url,
    expires: 'The link works once, for one hour.',
    ignore: 'If you did not ask, ignore this email: your password stays as it is.',
    shop,
  });
}

export function emailVerificationEmail({ shop, url }: LinkEmail): EmailContent {
  return linkEmail({
    subject: `Confirm your email for ${shop}`,
    heading: 'Confirm your email address',
    intro: `Welcome to ${shop}. Please confirm that this address is yours.`,
    action: 'Confirm my email address',
    url,
    expires: 'The link works for 24 hours.',
    ignore: 'If you did not create an account, ignore this email.',
    shop,
  });
}

export function emailChangeEmail({ shop, url }: LinkEmail): EmailContent {
  return linkEmail({
    subject: `Confirm your new email for ${shop}`,
    heading: 'Confirm your new email address',
    intro: `Someone asked to use this address for a ${shop} account. The account keeps its old address until you confirm.`,
    action: 'Use this email address',
    url,
    expires: 'The link works for 24 hours.',
    ignore: 'If you did not ask for this, ignore this email: nothing changes.',
    shop,
  });
}

/** What the order confirmation shows: the order as placed (money as the API's strings). */
export interface OrderEmail {
  shop: string;
  number: string;
  currency: string;
  items: ReadonlyArray<{ name: string; quantity: number; line_total: string }>;
  subtotal: string;
  shipping: { name: string; price: string };
  total: string;
  /** How to pay (the payment provider's words). */
  paymentInstructions: string;
}

export function orderConfirmationEmail(order: OrderEmail): EmailContent {
  const money = (amount: string) => `${amount} ${order.currency}`;
  const subject = `Your ${order.shop} order ${order.number}`;
  const text = [
    `Thank you for your order ${order.number}.`,
    '',
    ...order.items.map((item) => `${item.quantity} × ${item.name}: ${money(item.line_total)}`),
    `Subtotal: ${money(order.subtotal)}`,
    `Shipping (${order.shipping.name}): ${money(order.shipping.price)}`,
    `Total: ${money(order.total)}`,
    '',
    order.paymentInstructions,
    '',
    `— ${order.shop}`,
    '',
  ].join('\n');
  const e = escapeHtml;
  const rows = order.items
    .map(
      (item) =>
        `<tr><td>${e(item.name)}</td><td>${item.quantity}</td><td>${e(money(item.line_total))}</td></tr>`,
    )
    .join('\n');
  // A real table with a caption and header cells: screen readers announce each amount with its column.
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(subject)}</title>
</head>
<body style="font-family: sans-serif; font-size: 16px; line-height: 1.5; max-width: 36em; margin: 0 auto; padding: 1em;">
<h1 style="font-size: 1.4em;">Thank you for your order</h1>
<p>Your order number is <strong>${e(order.number)}</strong>.</p>
<table style="border-collapse: collapse; text-align: left;">
<caption style="text-align: left; font-weight: bold;">What you ordered</caption>
<thead><tr><th scope="col">Product</th><th scope="col">Quantity</th><th scope="col">Amount</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot>
<tr><th scope="row" colspan="2">Subtotal</th><td>${e(money(order.subtotal))}</td></tr>
<tr><th scope="row" colspan="2">Shipping (${e(order.shipping.name)})</th><td>${e(money(order.shipping.price))}</td></tr>
<tr><th scope="row" colspan="2">Total</th><td><strong>${e(money(order.total))}</strong></td></tr>
</tfoot>
</table>
<p>${e(order.paymentInstructions)}</p>
<p>— ${e(order.shop)}</p>
</body>
</html>
`;
  return { subject, text, html };
}
