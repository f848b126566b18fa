import { MIN_PASSWORD_LENGTH } from '@buybuy/validators';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';

import { checkNewPassword } from '../account';
import { api } from '../api';
import { formFeedback } from '../errors';
import { FormAlert, TextField } from './ui';

const FIELDS = ['current_password', 'new_password'];

/**
 * A new password, proved by the current one. The API ends every other
 * session of the account; this one stays signed in, and the page says so.
 */
export function PasswordChange() {
  const [problems, setProblems] = useState<Record<string, string>>({});
  const change = useMutation({
    mutationFn: (input: { current_password: string; new_password: string }) =>
      api.users.changePassword.mutate(input),
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const current_password = String(data.get('current_password') ?? '');
    const new_password = String(data.get('new_password') ?? '');
    const { password, repeat } = checkNewPassword(new_password, String(data.get('repeat') ?? ''));
    const found: Record<string, string> = {
      ...(current_password === '' && { current_password: 'Please fill this in.' }),
      ...(password && { new_password: password }),
      ...(repeat && { repeat }),
    };
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    change.mutate({ current_password, new_password }, { onSuccess: () => form.reset() });
  };

  const { fields, messages } = formFeedback(problems, change.error, FIELDS);
  return (
    <form className="stack" onSubmit={onSubmit} noValidate aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      <FormAlert messages={messages} />
      <TextField
        label="Current password"
        name="current_password"
        type="password"
        autoComplete="current-password"
        required
        error={fields.current_password}
      />
      <TextField
        label="New password"
        name="new_password"
        type="password"
        autoComplete="new-password"
        required
        hint={`At least ${MIN_PASSWORD_LENGTH} characters`}
        error={fields.new_password}
      />
      <TextField
        label="New password again"
        name="repeat"
        type="password"
        autoComplete="new-password"
        required
        error={fields.repeat}
      />
      <button type="submit" disabled={change.isPending}>
        {change.isPending ? 'Saving…' : 'Change password'}
      </button>
      <div role="status">
        {change.isSuccess && (
          <p className="success">
            Your password is changed. Every other device signed in to your account has been signed
            out; you stay signed in here.
          </p>
        )}
      </div>
    </form>
  );
}
