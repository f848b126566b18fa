import type { RouterInputs } from '@buybuy/client';
import { emailSchema } from '@buybuy/validators';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';

import { api } from '../api';
import type { Me } from '../auth';
import { formFeedback } from '../errors';
import { ResendVerification } from './ResendVerification';
import { FormAlert, TextField } from './ui';

type EmailChange = RouterInputs['users']['requestEmailChange'];
const FIELDS = ['new_email', 'current_password'];

export function VerifiedBadge({ verified }: { verified: boolean }) {
  return verified ? (
    <span className="email-badge email-verified">Verified</span>
  ) : (
    <span className="email-badge email-unverified">Not verified</span>
  );
}

/** The account's address: whether it is verified (and a new link if not), and changing it. */
export function EmailSettings({ me }: { me: Me }) {
  const verified = me.email_verified_at !== null;
  return (
    <section className="stack" aria-labelledby="email-heading">
      <h2 id="email-heading">Email address</h2>
      <p className="email-line">
        <strong>{me.email}</strong> <VerifiedBadge verified={verified} />
      </p>
      {!verified && (
        <>
          <p className="muted">
            We emailed you a link to confirm that this address is yours. Nothing arrived, or the
            link expired?
          </p>
          <ResendVerification email={me.email} />
        </>
      )}
      <ChangeEmail me={me} />
    </section>
  );
}

/** A new address is only asked for here: the account keeps the old one until the link is followed. */
function ChangeEmail({ me }: { me: Me }) {
  const [problems, setProblems] = useState<Record<string, string>>({});
  const change = useMutation({
    mutationFn: (input: EmailChange) => api.users.requestEmailChange.mutate(input),
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const typed = String(data.get('new_email') ?? '');
    const current_password = String(data.get('current_password') ?? '');
    const parsed = emailSchema.safeParse(typed);
    const found: Record<string, string> = {};
    if (!parsed.success)
      found.new_email =
        typed.trim() === '' ? 'Please fill this in.' : parsed.error.issues[0]!.message;
    if (current_password === '') found.current_password = 'Please fill this in.';
    setProblems(found);
    if (!parsed.success || Object.keys(found).length > 0) return;
    change.mutate({ new_email: parsed.data, current_password }, { onSuccess: () => form.reset() });
  };

  const { fields, messages } = formFeedback(problems, change.error, FIELDS);
  return (
    <form
      className="sub-form"
      onSubmit={onSubmit}
      noValidate
      aria-labelledby="change-email-heading"
    >
      <h3 id="change-email-heading">Change your email</h3>
      <FormAlert messages={messages} />
      <TextField
        label="New email"
        name="new_email"
        type="email"
        autoComplete="email"
        required
        error={fields.new_email}
      />
      <TextField
        label="Current password"
        name="current_password"
        type="password"
        autoComplete="current-password"
        required
        error={fields.current_password}
      />
      <button type="submit" disabled={change.isPending}>
        {change.isPending ? 'Sending…' : 'Send a confirmation link'}
      </button>
      <div role="status">
        {change.isSuccess && (
          <p className="success">
            We sent a link to {change.variables.new_email}. Your address stays {me.email} until you
            follow it (within 24 hours).
          </p>
        )}
      </div>
    </form>
  );
}
