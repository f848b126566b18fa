import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createMailer, orderConfirmationEmail, passwordResetEmail } from '../src';
import { startTestSmtpServer, type TestSmtpServer } from '../src/testing';

const reset = passwordResetEmail({
  shop: 'BuyBuy <Test>',
  url: 'http://shop.test/reset-password?token=abc&x=1',
});

describe('over SMTP', () => {
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
  });
  afterAll(() => smtp.close());

  it('delivers the email with its text and HTML parts to a real SMTP server', async () => {
    const mailer = createMailer({
      from: 'Shop <no-reply@shop.test>',
      smtpUrl: smtp.url,
      dir: '/nowhere',
    });
    expect(mailer.transport).toBe('smtp');
    await mailer.send({ to: 'ana@example.com', ...reset });

    const mail = await smtp.next('ana@example.com');
    expect(mail.from?.value[0]).toMatchObject({ name: 'Shop', address: 'no-reply@shop.test' });
    expect(mail.subject).toBe('Reset your BuyBuy <Test> password');
    expect(mail.text).toContain('http://shop.test/reset-password?token=abc&x=1');
    // The shop's name and the link are escaped in the HTML, never markup.
    expect(mail.html).toContain('<a href="http://shop.test/reset-password?token=abc&amp;x=1">');
    expect(mail.html).toContain('BuyBuy &lt;Test&gt;');
    expect(mail.html).toContain('<html lang="en">');
  });

  it('fails the send when the server cannot be reached (the job then retries)', async () => {
    const closed = await startTestSmtpServer();
    await closed.close();
    const mailer = createMailer({
      from: 'no-reply@shop.test',
      smtpUrl: closed.url,
      dir: '/nowhere',
    });
    await expect(mailer.send({ to: 'ana@example.com', ...reset })).rejects.toThrow();
  });
});

describe('to files (development without SMTP_URL)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'buybuy-mail-')), 'mail');
  });
  afterAll(() => rm(join(dir, '..'), { recursive: true, force: true }));

  it('writes each email as an .eml file a mail client opens, and logs one line for it', async () => {
    const lines: { fields: object; message: string }[] = [];
    const mailer = createMailer({
      from: 'no-reply@shop.test',
      dir,
      log: { info: (fields, message) => lines.push({ fields, message }) },
    });
    expect(mailer).toMatchObject({ transport: 'files', dir });
    await mailer.send({ to: 'ana@example.com', ...reset });
    await mailer.send({ to: 'bo@example.com', ...reset });

    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(2);
    expect(files.every((file) => file.endsWith('.eml'))).toBe(true);
    const raw = await readFile(
      join(
        dir,
        files.find((file) => file.includes('ana@'))!,
      ),
    );
    expect(raw.toString()).toContain('\r\n');
    const mail = await simpleParser(raw);
    expect(mail.to).toMatchObject({ text: 'ana@example.com' });
    expect(mail.subject).toBe(reset.subject);
    expect(mail.text).toBe(reset.text);
    expect(mail.html).toContain('Choose a new password</a>');

    expect(lines).toHaveLength(2);
    expect(lines[0]!.message).toContain('ana@example.com');
    expect(lines[0]!.message).toContain(
      join(
        dir,
        files.find((file) => file.includes('ana@'))!,
      ),
    );
  });
});

describe('the order confirmation', () => {
  it('lists the lines and totals in a table with headers, and the same in the text part', () => {
    const { subject, text, html } = orderConfirmationEmail({
      shop: 'BuyBuy',
      number: 'BB-TEST1234',
      currency: 'EUR',
      items: [{ name: 'Mug & Saucer', quantity: 2, line_total: '9.00' }],
      subtotal: '9.00',
      shipping: { name: 'Courier', price: '4.99' },
      total: '13.99',
      paymentInstructions: 'Pay by bank transfer.',
    });
    expect(subject).toBe('Your BuyBuy order BB-TEST1234');
    expect(text).toContain('2 × Mug & Saucer: 9.00 EUR');
    expect(text).toContain('Shipping (Courier): 4.99 EUR');
    expect(text).toContain('Total: 13.99 EUR');
    expect(html).toContain('<caption');
    expect(html).toContain('<td>Mug &amp; Saucer</td><td>2</td><td>9.00 EUR</td>');
    expect(html).toContain('<th scope="row" colspan="2">Total</th>');
  });
});
