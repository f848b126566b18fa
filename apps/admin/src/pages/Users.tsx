import { fieldErrorsOf, type RouterInputs } from '@buybuy/client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';

import { queries } from '../api';
import { EmailVerified } from '../components/EmailVerified';
import { PagedTable } from '../components/PagedTable';
import { TextField, usePageTitle } from '../components/ui';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export default function Users() {
  usePageTitle('Users');
  const [params, setParams] = useSearchParams();
  const search = params.get('search') ?? '';
  const input: RouterInputs['users']['list'] = {
    page: Number(params.get('page') ?? 1) || 1,
    per_page: 20,
    ...(search ? { search } : {}),
  };
  const users = useQuery({
    ...queries.users.list.queryOptions(input),
    placeholderData: keepPreviousData,
  });
  const [draft, setDraft] = useState(search);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const term = draft.trim();
    setParams(term ? { search: term } : {});
  };

  return (
    <>
      <h1>Users</h1>
      <form className="filters card inline" onSubmit={submit} role="search" noValidate>
        <TextField
          label="Search by username or email"
          type="search"
          name="search"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          error={fieldErrorsOf(users.error).search}
        />
        <div className="actions">
          <button type="submit" className="button">
            Search
          </button>
          {search && (
            <button
              type="button"
              className="button secondary"
              onClick={() => {
                setDraft('');
                setParams({});
              }}
            >
              Clear search
            </button>
          )}
        </div>
      </form>

      <PagedTable
        list={users}
        loadingLabel="Loading users…"
        shownFields={['search']}
        empty={search ? `No users match “${search}”.` : 'No users yet.'}
        caption={(pagination) => `Users, page ${pagination.page} of ${pagination.total_pages}`}
        head={
          <>
            <th scope="col">Username</th>
            <th scope="col">Email</th>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Joined</th>
          </>
        }
        row={(user) => (
          <tr key={user.id}>
            <td>
              <Link to={`/users/${user.id}`}>{user.username}</Link>
            </td>
            <td>
              {user.email} <EmailVerified verifiedAt={user.email_verified_at} />
            </td>
            <td>{[user.first_name, user.last_name].filter(Boolean).join(' ') || '—'}</td>
            <td>{user.is_staff ? <span className="badge ok">Admin</span> : 'Customer'}</td>
            <td>{user.is_active ? 'Active' : <span className="badge warn">Deactivated</span>}</td>
            <td>
              <time dateTime={String(user.created_at)}>
                {dateFormat.format(new Date(user.created_at))}
              </time>
            </td>
          </tr>
        )}
        pagesLabel="User pages"
        onPage={(number) =>
          setParams((current) => {
            const next = new URLSearchParams(current);
            next.set('page', String(number));
            return next;
          })
        }
      />
    </>
  );
}
