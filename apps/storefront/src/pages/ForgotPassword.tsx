import { fieldErrorsOf } from '@buybuy/client';
import { emailSchema } from '@buybuy/validators';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';

import { api } from '../api';
import { FormAlert, TextField } from '../components/ui';
import { messageOf, otherErrorsOf } from '../errors';

/**
 * Asks for a password reset link. The answer is the same whether or not the
 * address has an account (the API says nothing either way), so the page
 * never claims an email was sent: only that one goes out if the account exists.
 */
export default function ForgotPassword() {
  const [problem, setProblem] = useState<string>();
  // Kept past "Ask again", so the form comes back with the address in it.
  const [email, setEmail] = useState('');
  const request = useMutation({
    mutationFn: (email: string) => api.auth.requestPasswordReset.mutate({ email }),
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const typed = String(new FormData(event.currentTarget).get('email') ?? '');
    const parsed = emailSchema.safeParse(typed);
    setEmail(typed);
    setProblem(
      parsed.success
        ? undefined
        : typed.trim() === ''
          ? 'Please fill this in.'
          : parsed.error.issues[0]?.message,
    );
    if (parsed.success) request.mutate(parsed.data);
  };

  if (request.isSuccess) {
    return (
      <div className="narrow">
        <title>Check your email · BuyBuy</title>
        <h1>Check your email</h1>
        <div className="notice notice-info" role="status">
          <p>
            If an account uses <strong>{request.variables}</strong>, we have sent it a link to
            choose a new password. The link works for one hour.
          </p>
          <p>Nothing after a few minutes? Look in your spam folder, or ask again.</p>
        </div>
        <p className="button-row">
          <Link to="/sign-in" className="button">
            Back to sign in
          </Link>
          <button type="button" className="button-secondary" onClick={() => request.reset()}>
            Ask again
          </button>
        </p>
      </div>
    );
  }

  const fieldError = problem ?? fieldErrorsOf(request.error).email;
  const messages = problem
    ? ['Please correct the highlighted field.']
    : request.error
      ? [messageOf(request.error), ...otherErrorsOf(request.error, ['email'])]
      : [];
  return (
    <div className="narrow">
      <title>Forgot your password? · BuyBuy</title>
      <h1>Forgot your password?</h1>
      <p>
        Tell us the email address of your account and we will send you a link to choose a new
        password.
      </p>
      <form className="stack" onSubmit={onSubmit} noValidate>
        <FormAlert messages={[...new Set(messages)]} />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={email}
          error={fieldError}
        />
        <button type="submit" disabled={request.isPending}>
          {request.isPending ? 'Sending…' : 'Send the link'}
        </button>
      </form>
      <p>
        Remembered it? <Link to="/sign-in">Sign in</Link>
      </p>
    </div>
  );
}
