import { fieldErrorsOf, type RouterInputs } from '@buybuy/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent } from 'react';
import { Link, Navigate } from 'react-router';

import { api } from '../api';
import { profileQuery, useAuth } from '../auth';
import { EmailSettings } from '../components/EmailSettings';
import { PasswordChange } from '../components/PasswordChange';
import { ErrorNotice, FormAlert, Loading, TextField } from '../components/ui';
import { messageOf, otherErrorsOf } from '../errors';

type ProfileUpdate = RouterInputs['users']['updateProfile'];
const FIELDS = ['first_name', 'last_name', 'phone', 'address', 'city', 'country'] as const;

export default function Account() {
  const { signedIn, me, loading, error } = useAuth();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (input: ProfileUpdate) => api.users.updateProfile.mutate(input),
    onSuccess: (user) => queryClient.setQueryData(profileQuery.queryKey, user),
  });

  if (!signedIn) return <Navigate to="/sign-in?next=/account" replace />;
  if (loading) {
    return (
      <div className="narrow">
        <title>My account · BuyBuy</title>
        <h1>My account</h1>
        <Loading>Loading your account…</Loading>
      </div>
    );
  }
  if (!me) {
    return (
      <>
        <title>My account · BuyBuy</title>
        <h1>My account</h1>
        <ErrorNotice error={error} />
      </>
    );
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = Object.fromEntries(FIELDS.map((name) => [name, String(form.get(name) ?? '')]));
    save.mutate(input as ProfileUpdate);
  };

  const fields = fieldErrorsOf(save.error);
  const messages = save.error ? [messageOf(save.error), ...otherErrorsOf(save.error, FIELDS)] : [];
  return (
    <div className="narrow">
      <title>My account · BuyBuy</title>
      <h1>My account</h1>
      <p className="lead">
        Signed in as <strong>{me.username}</strong> ({me.email})
      </p>
      <p>
        <Link to="/account/orders">Your orders</Link>
      </p>
      {/* A saved profile remounts the form, so the fields show what the server kept. */}
      <form
        key={me.updated_at}
        className="stack"
        onSubmit={onSubmit}
        noValidate
        aria-labelledby="profile-heading"
      >
        <h2 id="profile-heading">Profile</h2>
        <FormAlert messages={[...new Set(messages)]} />
        <div className="row">
          <TextField
            label="First name"
            name="first_name"
            autoComplete="given-name"
            defaultValue={me.first_name}
            error={fields.first_name}
          />
          <TextField
            label="Last name"
            name="last_name"
            autoComplete="family-name"
            defaultValue={me.last_name}
            error={fields.last_name}
          />
        </div>
        <TextField
          label="Phone"
          name="phone"
          type="tel"
          autoComplete="tel"
          defaultValue={me.profile.phone}
          error={fields.phone}
        />
        <TextField
          label="Address"
          name="address"
          autoComplete="street-address"
          defaultValue={me.profile.address}
          error={fields.address}
        />
        <div className="row">
          <TextField
            label="City"
            name="city"
            autoComplete="address-level2"
            defaultValue={me.profile.city}
            error={fields.city}
          />
          <TextField
            label="Country"
            name="country"
            autoComplete="country-name"
            defaultValue={me.profile.country}
            error={fields.country}
          />
        </div>
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save profile'}
        </button>
      </form>
      <p role="status" className="success">
        {save.isSuccess ? 'Your profile is saved.' : ''}
      </p>
      <div className="account-sections">
        <EmailSettings me={me} />
        <PasswordChange />
      </div>
    </div>
  );
}
