import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { createTransport } from 'nodemailer';

/** One email, rendered: a plain-text body and its HTML alternative. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** The logger method the file mailer reports with (pino's and Fastify's loggers fit). */
export interface MailLogger {
  info(fields: object, message: string): void;
}

export interface Mailer {
  /** `smtp`: handed to the SMTP server; `files`: written as `.eml` under `dir` (development). */
  readonly transport: 'smtp' | 'files';
  /** The folder emails are written to (`files` only). */
  readonly dir: string | undefined;
  /** Rejects when the email could not be handed over (the job queue then retries it). */
  send(message: EmailMessage): Promise<void>;
}

export interface MailerOptions {
  /** `From:` of every email, e.g. `BuyBuy <no-reply@shop.example>`. */
  from: string;
  /** `smtp://user:pass@host:587` or `smtps://…`; without it emails go to `dir` as files. */
  smtpUrl?: string;
  /** Where emails are written without `smtpUrl`. */
  dir: string;
  /** Told one line per email written to a file, so a developer sees it arrive. */
  log?: MailLogger;
}

/** SMTP when configured, else `.eml` files (config refuses production without SMTP_URL). */
export function createMailer(options: MailerOptions): Mailer {
  return options.smtpUrl
    ? smtpMailer(options.smtpUrl, options.from)
    : fileMailer(options.dir, options.from, options.log);
}

/** Not pooled: one connection per email, so there is nothing to close at shutdown. */
function smtpMailer(url: string, from: string): Mailer {
  const transporter = createTransport(url, { from });
  return {
    transport: 'smtp',
    dir: undefined,
    async send(message) {
      await transporter.sendMail(message);
    },
  };
}

/**
 * Nodemailer's stream transport builds the same MIME message SMTP would
 * carry (CRLF line ends, as RFC 5322 wants), and we write it where a mail
 * client opens it with a double click.
 */
function fileMailer(dir: string, from: string, log?: MailLogger): Mailer {
  const transporter = createTransport(
    { streamTransport: true, buffer: true, newline: 'windows' },
    { from },
  );
  return {
    transport: 'files',
    dir,
    async send(message) {
      const { message: raw } = await transporter.sendMail(message);
      await mkdir(dir, { recursive: true });
      const file = join(dir, emlFileName(message.to));
      await writeFile(file, raw as Buffer);
      log?.info({ to: message.to, file }, `email "${message.subject}" to ${message.to}: ${file}`);
    },
  };
}

/** Sorts by time in a file listing; the random tail keeps two emails of one millisecond apart. */
function emlFileName(to: string): string {
  const when = new Date().toISOString().replace(/[:.]/g, '-');
  const who = to.replace(/[^A-Za-z0-9.@_-]/g, '_').slice(0, 64);
  return `${when}-${who}-${randomBytes(3).toString('hex')}.eml`;
}
