import { fieldErrorsOf } from '@buybuy/client';
import { type FormEvent, useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';

import { NoAccessError, useAuth } from '../auth';
import { Alert, TextField, usePageTitle } from '../components/ui';
import { messageOf } from '../errors';

export default function SignIn() {
  usePageTitle('Sign in');
  const { signedIn, me, signIn, notice, clearNotice } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  if (signedIn && me?.is_staff && !busy) return <Navigate to={from} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    clearNotice();
    setError(null);
    setBusy(true);
    try {
      await signIn(email, password);
      void navigate(from, { replace: true });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const fields = error instanceof NoAccessError ? {} : fieldErrorsOf(error);
  const message = error ? messageOf(error) : notice;

  return (
    <main className="page narrow sign-in">
      <h1>Sign in to BuyBuy admin</h1>
      <div aria-live="assertive">{message && <Alert>{message}</Alert>}</div>
      <form onSubmit={(event) => void submit(event)} noValidate className="card stack">
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={fields.email}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={fields.password}
        />
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
