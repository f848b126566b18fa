import { fieldErrorsOf } from '@buybuy/client';
import { type FormEvent, useState } from 'react';
import { Link, Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';

import { useAuth } from '../auth';
import { FormAlert, TextField } from '../components/ui';
import { messageOf, otherErrorsOf } from '../errors';

/** Where to go after signing in: only a path on this site, never another origin. */
export function safeNext(next: string | null, fallback = '/') {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : fallback;
}

/** A page that sends the shopper here may leave a sentence for them (a password reset says what it did). */
function noticeOf(state: unknown): string | undefined {
  const notice = (state as { notice?: unknown } | null)?.notice;
  return typeof notice === 'string' ? notice : undefined;
}

export default function SignIn() {
  const { signedIn, signIn } = useAuth();
  const navigate = useNavigate();
  const notice = noticeOf(useLocation().state);
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (signedIn && !busy) return <Navigate to={next} replace />;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    // Busy until the next page replaces the form (not only until the call returns): no empty page in between.
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get('email') ?? ''), String(form.get('password') ?? ''));
      await navigate(next, { replace: true });
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  const fields = fieldErrorsOf(error);
  const messages = error ? [messageOf(error), ...otherErrorsOf(error, ['email', 'password'])] : [];
  return (
    <div className="narrow">
      <title>Sign in · BuyBuy</title>
      <h1>Sign in</h1>
      {notice && (
        <div className="notice notice-info" role="status">
          <p>{notice}</p>
        </div>
      )}
      <form className="stack" onSubmit={(event) => void onSubmit(event)} noValidate>
        <FormAlert messages={[...new Set(messages)]} />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          error={fields.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={fields.password}
        />
        <Link to="/forgot-password" className="field-aside">
          Forgot your password?
        </Link>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        New here?{' '}
        <Link to={`/register${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`}>
          Create an account
        </Link>
      </p>
    </div>
  );
}
