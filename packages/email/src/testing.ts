import type { AddressInfo } from 'node:net';

import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** An email as the test server received it, parsed by mailparser. */
export type ReceivedEmail = ParsedMail;

/** A real SMTP server on a free port that keeps every email it receives, parsed. */
export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>`: give it to the mailer as SMTP_URL. */
  url: string;
  received: ParsedMail[];
  /** The first email to `to` not taken before, waiting for it to arrive if needed. */
  next(to: string): Promise<ParsedMail>;
  close(): Promise<void>;
}

const recipients = (mail: ParsedMail) =>
  [mail.to ?? []].flat().flatMap((address) => address.value.map((one) => one.address));

export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const received: ParsedMail[] = [];
  const taken = new Set<ParsedMail>();
  const waiters: { to: string; resolve: (mail: ParsedMail) => void }[] = [];

  const claim = (to: string) => {
    const mail = received.find((one) => !taken.has(one) && recipients(one).includes(to));
    if (mail) taken.add(mail);
    return mail;
  };
  const deliver = (mail: ParsedMail) => {
    received.push(mail);
    for (const waiter of [...waiters]) {
      const found = claim(waiter.to);
      if (!found) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(found);
    }
  };

  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: no certificate to make, and nodemailer sends as it would to a relay.
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          deliver(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    next: (to) =>
      new Promise((resolve) => {
        const mail = claim(to);
        if (mail) resolve(mail);
        else waiters.push({ to, resolve });
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
