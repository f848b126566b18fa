import { fieldErrorsOf } from '@buybuy/client';
import { MIN_PASSWORD_LENGTH } from '@buybuy/validators';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';

import { checkNewPassword, linkProblem } from '../account';
import { api, storeTokens } from '../api';
import { LinkFailure } from '../components/LinkFailure';
import { FormAlert, TextField } from '../components/ui';
import { messageOf, otherErrorsOf } from '../errors';

/** What the sign-in page says after a reset: every session of the account has ended. */
export const RESET_DONE =
  'Your password is changed, and every device that was signed in to your account has been signed out. Sign in with your new password.';

const AskAgain = () => (
  <Link to="/forgot-password" className="button">
    Ask for a new link
  </Link>
);

/** The page the reset email links to: a new password, typed twice, for the link's token. */
export default function ResetPassword() {
  const [params] = useSearchParams();
  const token = params.get('token');
  const navigate = useNavigate();
  const [problems, setProblems] = useState<Record<string, string>>({});
  const reset = useMutation({
    mutationFn: (password: string) => api.auth.resetPassword.mutate({ token: token!, password }),
    onSuccess: async () => {
      // This browser's session ended with the others: forget its tokens, so sign-in shows its form.
      storeTokens(null);
      await navigate('/sign-in', { replace: true, state: { notice: RESET_DONE } });
    },
  });

  const heading = (
    <>
      <title>Choose a new password · BuyBuy</title>
      <h1>Choose a new password</h1>
    </>
  );
  if (!token || linkProblem(reset.error)) {
    return (
      <div className="narrow">
        {heading}
        <LinkFailure error={token ? reset.error : undefined}>
          <AskAgain />
        </LinkFailure>
      </div>
    );
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password') ?? '');
    const found = checkNewPassword(password, String(form.get('repeat') ?? ''));
    setProblems(found);
    if (Object.keys(found).length === 0) reset.mutate(password);
  };

  const problemCount = Object.keys(problems).length;
  const fields = problemCount > 0 ? problems : fieldErrorsOf(reset.error);
  const messages =
    problemCount > 0
      ? ['Please correct the highlighted field.']
      : reset.error
        ? [messageOf(reset.error), ...otherErrorsOf(reset.error, ['password'])]
        : [];
  return (
    <div className="narrow">
      {heading}
      <p>Every device signed in to your account will be signed out once the password is changed.</p>
      <form className="stack" onSubmit={onSubmit} noValidate>
        <FormAlert messages={[...new Set(messages)]} />
        <TextField
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint={`At least ${MIN_PASSWORD_LENGTH} characters`}
          error={fields.password}
        />
        <TextField
          label="New password again"
          name="repeat"
          type="password"
          autoComplete="new-password"
          required
          error={fields.repeat}
        />
        <button type="submit" disabled={reset.isPending || reset.isSuccess}>
          {reset.isPending || reset.isSuccess ? 'Saving…' : 'Save the new password'}
        </button>
      </form>
    </div>
  );
}
