import { z } from 'zod';

import { defineJob } from './definition';

/**
 * Sends one rendered email (the API renders it, so the worker needs no shop
 * settings). A failed send throws, and the queue retries it with backoff: an
 * SMTP server that is down for a minute delays the email, it does not lose it.
 * The payload holds the link's token while the job waits; the tokens are
 * single-use and short-lived, and the database keeps only their hashes.
 */
export const sendEmail = defineJob({
  name: 'email.send',
  payload: z.object({
    to: z.email(),
    subject: z.string().min(1).max(200),
    text: z.string().min(1),
    html: z.string().min(1),
  }),
  // Admins see who and what, never the body: it holds the link's live token.
  payloadSummary: ({ to, subject }) => ({ to, subject }),
  handler: async (message, { mailer }) => {
    if (!mailer) throw new Error('This process has no mailer: it cannot run email jobs');
    await mailer.send(message);
    return { to: message.to };
  },
});
