import { createMailer } from '@buybuy/email';
import { startTestSmtpServer, type TestSmtpServer } from '@buybuy/email/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEmbeddedQueue, sendEmail } from '../src';
import { depsWithout, waitFor } from './support';

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startTestSmtpServer();
});
afterAll(() => smtp.close());

const message = {
  to: 'ana@example.com',
  subject: 'Hello',
  text: 'Hello, Ana.',
  html: '<p>Hello, Ana.</p>',
};
const retry = { attempts: 2, backoffMs: 10 };

describe('email.send', () => {
  it('hands the email to the SMTP server of the mailer it is given', async () => {
    const mailer = createMailer({ from: 'shop@example.com', smtpUrl: smtp.url, dir: '/nowhere' });
    const queue = createEmbeddedQueue({
      definitions: [sendEmail],
      deps: { ...depsWithout(), mailer },
      retry,
    });
    await queue.enqueue(sendEmail, message);
    const mail = await smtp.next('ana@example.com');
    expect(mail.subject).toBe('Hello');
    expect(mail.text?.trim()).toBe('Hello, Ana.');
    await queue.close();
  });

  it('refuses a payload without a valid address in the caller', async () => {
    const queue = createEmbeddedQueue({ definitions: [sendEmail], deps: depsWithout(), retry });
    await expect(queue.enqueue(sendEmail, { ...message, to: 'not an address' })).rejects.toThrow();
    await queue.close();
  });

  it('fails, and is kept as failed, in a process that has no mailer', async () => {
    const deps = depsWithout();
    const queue = createEmbeddedQueue({ definitions: [sendEmail], deps, retry });
    await queue.enqueue(sendEmail, message);
    const failed = await waitFor(async () => (await queue.failed())[0]);
    expect(failed).toMatchObject({ name: 'email.send', tries: 2 });
    expect(failed!.error).toContain('no mailer');
    await queue.close();
  });

  it('shows admins the address and subject of a failed email, never its body (the link)', () => {
    expect(sendEmail.payloadSummary!(message)).toEqual({
      to: message.to,
      subject: message.subject,
    });
  });
});
