import { errorCode, firstErrorMessage, type RouterOutputs } from '@buybuy/client';
import { idSchema } from '@buybuy/validators';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';

import { api, queries } from '../api';
import { useAuth } from '../auth';
import { Breadcrumb } from '../components/Breadcrumb';
import { Card } from '../components/Card';
import { EmailVerified } from '../components/EmailVerified';
import { LoadFailed } from '../components/LoadFailed';
import { ConfirmDialog, ErrorState, LiveRegion, Loading, usePageTitle } from '../components/ui';
import { formatDateTime } from '../orders';

type User = RouterOutputs['users']['byId'];

/** The four changes an admin can make to a user's access. */
type Change = 'deactivate' | 'activate' | 'grant' | 'revoke';

const CHANGES: Record<
  Change,
  { label: string; input: { is_active?: boolean; is_staff?: boolean }; done: string }
> = {
  deactivate: { label: 'Deactivate', input: { is_active: false }, done: 'deactivated' },
  activate: { label: 'Activate', input: { is_active: true }, done: 'activated' },
  grant: { label: 'Make admin', input: { is_staff: true }, done: 'is now an admin' },
  revoke: { label: 'Remove admin', input: { is_staff: false }, done: 'is no longer an admin' },
};

/** Why a change was refused, in people's words (the rule codes carry the server's sentence). */
function refusal(error: unknown): unknown {
  switch (errorCode(error)) {
    case 'CANNOT_CHANGE_OWN_ACCESS':
    case 'LAST_ADMIN':
      return new Error(firstErrorMessage(error) ?? 'This change is not allowed.');
    case 'FORBIDDEN':
      return new Error('Your own admin role was removed meanwhile, so you cannot change users.');
    case 'NOT_FOUND':
      return new Error('This user no longer exists.');
    default:
      return error;
  }
}

const nameOf = (user: User) => [user.first_name, user.last_name].filter(Boolean).join(' ');
const devices = (count: number) =>
  count === 0 ? 'not signed in anywhere' : `signed in on ${count} device${count === 1 ? '' : 's'}`;

export default function UserDetail() {
  const { id } = useParams();
  const userId = idSchema.safeParse(id).data;
  if (userId === undefined) return <Missing />;
  return <UserPage key={userId} id={userId} />;
}

function UserPage({ id }: { id: number }) {
  const user = useQuery(queries.users.byId.queryOptions({ id }));
  const [status, setStatus] = useState('');
  usePageTitle(user.data ? `User ${user.data.username}` : 'User');

  if (user.isPending) return <Loading label="Loading the user…" />;
  if (user.isError) {
    return (
      <LoadFailed
        title="User"
        error={user.error}
        missing={<Missing />}
        onRetry={() => void user.refetch()}
      />
    );
  }

  const current = user.data;
  return (
    <>
      <Breadcrumb to="/users" list="Users">
        {current.username}
      </Breadcrumb>
      <div className="order-head">
        <h1>{current.username}</h1>
        <p className="order-head-status">
          {current.is_staff ? (
            <span className="badge ok">Admin</span>
          ) : (
            <span className="badge">Customer</span>
          )}
          {current.is_active ? (
            <span className="badge ok">Active</span>
          ) : (
            <span className="badge warn">Deactivated</span>
          )}
        </p>
      </div>
      <LiveRegion>{status && <p className="status">{status}</p>}</LiveRegion>
      <div className="columns">
        <UserFacts user={current} />
        <Access user={current} onDone={setStatus} />
      </div>
    </>
  );
}

function UserFacts({ user }: { user: User }) {
  const { profile } = user;
  const place = [profile.address, profile.city, profile.country].filter(Boolean).join(', ');
  return (
    <Card id="account-heading" title="Account">
      <dl className="facts">
        <dt>Email</dt>
        <dd>
          <a href={`mailto:${user.email}`}>{user.email}</a>{' '}
          <EmailVerified verifiedAt={user.email_verified_at} />
        </dd>
        <dt>Email verified</dt>
        <dd>
          {user.email_verified_at ? (
            <time dateTime={user.email_verified_at}>{formatDateTime(user.email_verified_at)}</time>
          ) : (
            <span className="muted">Not yet: the emailed link was not followed</span>
          )}
        </dd>
        <dt>Name</dt>
        <dd>{nameOf(user) || <span className="muted">Not given</span>}</dd>
        <dt>Phone</dt>
        <dd>{profile.phone || <span className="muted">Not given</span>}</dd>
        <dt>Address</dt>
        <dd>{place || <span className="muted">Not given</span>}</dd>
        <dt>Orders</dt>
        <dd>
          {user.order_count === 0
            ? 'None placed while signed in'
            : `${user.order_count} placed while signed in`}{' '}
          (
          <Link to={`/orders?${new URLSearchParams({ email: user.email })}`}>
            orders with this email
          </Link>
          )
        </dd>
        <dt>Joined</dt>
        <dd>
          <time dateTime={user.created_at}>{formatDateTime(user.created_at)}</time>
        </dd>
        <dt>Last change</dt>
        <dd>
          <time dateTime={user.updated_at}>{formatDateTime(user.updated_at)}</time>
        </dd>
      </dl>
    </Card>
  );
}

/** Activate/deactivate and admin role, each behind a confirmation except reactivating. */
function Access({ user, onDone }: { user: User; onDone: (message: string) => void }) {
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<Change | null>(null);
  const yourself = me?.id === user.id;

  const change = useMutation({
    mutationFn: (which: Change) =>
      api.users.update.mutate({ id: user.id, ...CHANGES[which].input }),
    onSuccess: async (updated, which) => {
      setOpen(null);
      onDone(`${updated.username} ${CHANGES[which].done}.`);
      queryClient.setQueryData(queries.users.byId.queryKey({ id: user.id }), updated);
      await queryClient.invalidateQueries(queries.users.list.pathFilter());
    },
    onError: async (error) => {
      const code = errorCode(error);
      // Another admin changed this user meanwhile (or removed them): show where they stand now.
      if (code === 'LAST_ADMIN' || code === 'NOT_FOUND')
        await queryClient.invalidateQueries({
          queryKey: queries.users.byId.queryKey({ id: user.id }),
        });
      // Our own admin role went: reading our account again leads to the sign-in page.
      if (code === 'FORBIDDEN')
        await queryClient.invalidateQueries(queries.users.profile.pathFilter());
    },
  });

  const start = (which: Change) => {
    change.reset();
    onDone('');
    // Reactivating takes nothing away from anyone: no confirmation.
    if (which === 'activate') change.mutate(which);
    else setOpen(which);
  };

  return (
    <Card id="access-heading" title="Access">
      <div className="stack">
        <div className="access-part">
          <h3>Status</h3>
          <p>
            {user.is_active
              ? `Active, ${devices(user.session_count)}.`
              : 'Deactivated: cannot sign in. Their sessions were ended when they were deactivated.'}
          </p>
          {!yourself &&
            (user.is_active ? (
              <button
                type="button"
                className="button secondary danger-text"
                onClick={() => start('deactivate')}
              >
                Deactivate
              </button>
            ) : (
              <button
                type="button"
                className="button"
                disabled={change.isPending}
                onClick={() => start('activate')}
              >
                {change.isPending && change.variables === 'activate' ? 'Working…' : 'Activate'}
              </button>
            ))}
        </div>
        <div className="access-part">
          <h3>Role</h3>
          <p>
            {user.is_staff
              ? 'Admin: can manage products, orders and users in this panel.'
              : 'Customer: shops in the storefront, no access to this panel.'}
          </p>
          {!yourself &&
            (user.is_staff ? (
              <button
                type="button"
                className="button secondary danger-text"
                onClick={() => start('revoke')}
              >
                Remove admin
              </button>
            ) : (
              <button type="button" className="button secondary" onClick={() => start('grant')}>
                Make admin
              </button>
            ))}
        </div>
        {yourself && (
          <p className="muted" id="own-account-note">
            This is your account. You cannot deactivate yourself or remove your own admin role, so
            the shop is never left without an admin: ask another admin.
          </p>
        )}
        {/* A refused reactivation has no dialog to show its reason in. */}
        {open === null && change.isError && <ErrorState error={refusal(change.error)} />}
      </div>
      <ConfirmDialog
        open={open !== null}
        title={open ? `${CHANGES[open].label}: ${user.username}` : ''}
        confirmLabel={open ? CHANGES[open].label : ''}
        cancelLabel="Back"
        tone={open === 'grant' ? 'primary' : 'danger'}
        busy={change.isPending}
        error={change.isError ? refusal(change.error) : undefined}
        onConfirm={() => open && change.mutate(open)}
        onCancel={() => setOpen(null)}
      >
        {open && <p>{explain(open, user)}</p>}
      </ConfirmDialog>
    </Card>
  );
}

function explain(which: Change, user: User): string {
  switch (which) {
    case 'deactivate': {
      const count = user.session_count;
      const signedOut =
        count === 0
          ? ''
          : ` is signed out at once on the ${count === 1 ? 'device' : `${count} devices`} they use, and`;
      return `${user.username}${signedOut} cannot sign in until an admin activates the account again. Their orders stay as they are.`;
    }
    case 'grant':
      return `${user.username} will be able to sign in to this panel and manage products, orders and users, including other admins.`;
    case 'revoke':
      return `${user.username} loses access to this panel at once, keeps their account and stays signed in to the shop as a customer.`;
    case 'activate':
      return `${user.username} can sign in again.`;
  }
}

function Missing() {
  usePageTitle('User not found');
  return (
    <>
      <h1>User not found</h1>
      <p>
        There is no user with this id. <Link to="/users">Back to the users</Link>.
      </p>
    </>
  );
}
