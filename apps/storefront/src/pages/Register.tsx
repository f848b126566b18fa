import {
  emailSchema,
  MIN_PASSWORD_LENGTH,
  MIN_USERNAME_LENGTH,
  passwordSchema,
  usernameSchema,
} from '@buybuy/validators';
import { type FormEvent, useEffect, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';

import { useAuth } from '../auth';
import { FormAlert, TextField } from '../components/ui';
import { formFeedback } from '../errors';
import { safeNext } from './SignIn';

const FIELDS = ['username', 'email', 'password', 'first_name', 'last_name'];

/** The API's own rules, checked before sending: the first problem of each field, in its words. */
function checkAccount(values: { username: string; email: string; password: string }) {
  const problems: Record<string, string> = {};
  const rules = { username: usernameSchema, email: emailSchema, password: passwordSchema };
  for (const [field, schema] of Object.entries(rules)) {
    const value = values[field as keyof typeof values];
    const issue = schema.safeParse(value).error?.issues[0];
    // An empty field is asked for; the rule itself stays in its hint.
    if (issue) problems[field] = value.trim() === '' ? 'Please fill this in.' : issue.message;
  }
  return problems;
}

export default function Register() {
  const { signedIn, register } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'), '/account');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Record<string, string>>({});

  // The account page's code arrives while the form is filled in, so no empty page follows the submit.
  useEffect(() => {
    void import('./Account');
  }, []);

  if (signedIn && !busy) return <Navigate to={next} replace />;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '');
    const account = {
      username: value('username'),
      email: value('email'),
      password: value('password'),
    };
    const found = checkAccount(account);
    setProblems(found);
    setError(null);
    if (Object.keys(found).length > 0) return;
    // Busy until the next page replaces the form (not only until the call returns): no empty page in between.
    setBusy(true);
    try {
      await register({
        ...account,
        ...(value('first_name').trim() && { first_name: value('first_name') }),
        ...(value('last_name').trim() && { last_name: value('last_name') }),
      });
      await navigate(next, { replace: true });
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  const { fields, messages } = formFeedback(problems, error, FIELDS);
  return (
    <div className="narrow">
      <title>Create an account · BuyBuy</title>
      <h1>Create an account</h1>
      <form className="stack" onSubmit={(event) => void onSubmit(event)} noValidate>
        <FormAlert messages={messages} />
        <TextField
          label="Username"
          name="username"
          autoComplete="username"
          required
          hint={`At least ${MIN_USERNAME_LENGTH} characters: letters, digits, _ . -`}
          error={fields.username}
        />
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
          autoComplete="new-password"
          required
          hint={`At least ${MIN_PASSWORD_LENGTH} characters`}
          error={fields.password}
        />
        <div className="row">
          <TextField
            label="First name (optional)"
            name="first_name"
            autoComplete="given-name"
            error={fields.first_name}
          />
          <TextField
            label="Last name (optional)"
            name="last_name"
            autoComplete="family-name"
            error={fields.last_name}
          />
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p>
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </div>
  );
}
