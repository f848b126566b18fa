import { type RouterInputs, type RouterOutputs } from '@buybuy/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { api, queries } from '../api';
import { Card } from '../components/Card';
import { FormActions, FormError, useFieldChecks } from '../components/FormParts';
import { RowButton } from '../components/RowButton';
import { ActionsHeader } from '../components/TableParts';
import {
  ConfirmDialog,
  Empty,
  ErrorState,
  LiveRegion,
  Loading,
  TextField,
  usePageTitle,
} from '../components/ui';
import { formatDateTime } from '../orders';

type ApiKey = RouterOutputs['apiKeys']['list'][number];
type Created = RouterOutputs['apiKeys']['create'];
type Scope = RouterInputs['apiKeys']['create']['scopes'][number];

/** The scopes a key can be given, in the order the form offers them. */
const SCOPES: { scope: Scope; label: string }[] = [
  { scope: 'catalog:read', label: 'Read the catalog (products, categories, shipping methods)' },
  { scope: 'catalog:write', label: 'Change the catalog (and upload images)' },
  { scope: 'orders:read', label: 'Read orders' },
  { scope: 'orders:write', label: 'Act on orders (mark paid, ship, deliver, refund, cancel)' },
  { scope: 'dashboard:read', label: 'Read the dashboard figures' },
];
const FIELDS = ['name', 'scopes', 'expires_at'];
const NO_INPUT = {};

const STATUS_BADGE: Record<ApiKey['status'], string> = {
  active: 'badge ok',
  expired: 'badge warn',
  revoked: 'badge',
};

export default function ApiKeys() {
  usePageTitle('API keys');
  const queryClient = useQueryClient();
  const keys = useQuery(queries.apiKeys.list.queryOptions(NO_INPUT));
  const [status, setStatus] = useState('');
  const [created, setCreated] = useState<Created | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const invalidate = () => queryClient.invalidateQueries(queries.apiKeys.list.pathFilter());

  const create = useMutation({
    mutationFn: (input: RouterInputs['apiKeys']['create']) => api.apiKeys.create.mutate(input),
    onSuccess: async (key) => {
      setCreated(key);
      setStatus('');
      await invalidate();
    },
  });
  const revoke = useMutation({
    mutationFn: (key: ApiKey) => api.apiKeys.revoke.mutate({ id: key.id }),
    onSuccess: async (key) => {
      setRevoking(null);
      setStatus(`API key “${key.name}” revoked. Calls with it now fail.`);
      await invalidate();
    },
  });

  return (
    <>
      <h1>API keys</h1>
      <LiveRegion>{status && <p className="status">{status}</p>}</LiveRegion>
      <div className="api-keys">
        <Card id="keys-heading" title="Keys">
          {keys.isPending ? (
            <Loading label="Loading API keys…" />
          ) : keys.isError ? (
            <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />
          ) : keys.data.length === 0 ? (
            <Empty>
              <p>No API keys yet. Create one for each system that calls the API.</p>
            </Empty>
          ) : (
            <div className="table-wrap" aria-busy={keys.isFetching}>
              <table>
                <caption className="visually-hidden">API keys, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Key</th>
                    <th scope="col">Scopes</th>
                    <th scope="col">Created</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Status</th>
                    <ActionsHeader />
                  </tr>
                </thead>
                <tbody>
                  {keys.data.map((key) => (
                    <tr key={key.id}>
                      <td>{key.name}</td>
                      <td>
                        <code>{key.prefix}…</code>
                      </td>
                      <td>{key.scopes.join(', ')}</td>
                      <td>{formatDateTime(key.created_at)}</td>
                      <td>{key.last_used_at ? formatDateTime(key.last_used_at) : 'Never'}</td>
                      <td>{key.expires_at ? formatDateTime(key.expires_at) : 'Never'}</td>
                      <td>
                        <span className={STATUS_BADGE[key.status]}>{key.status}</span>
                      </td>
                      <td className="row-actions">
                        {key.status !== 'revoked' && (
                          <RowButton
                            danger
                            label={`Revoke ${key.name}`}
                            onClick={() => {
                              setStatus('');
                              revoke.reset();
                              setRevoking(key);
                            }}
                          >
                            Revoke
                          </RowButton>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p className="hint">
            Third parties send a key as <code>X-API-Key</code> or{' '}
            <code>Authorization: Bearer bb_live_…</code>. Last use is recorded at most once a
            minute.
          </p>
        </Card>

        <Card id="create-heading" title="Create a key">
          {created ? (
            <CreatedSecret created={created} onDone={() => setCreated(null)} />
          ) : (
            <CreateKeyForm
              pending={create.isPending}
              error={create.error}
              onSubmit={(input) => create.mutate(input)}
            />
          )}
        </Card>
      </div>

      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        confirmLabel="Revoke key"
        busy={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        onCancel={() => setRevoking(null)}
      >
        <p>
          Every call made with it fails from now on. This cannot be undone: the system using it
          needs a new key.
        </p>
      </ConfirmDialog>
    </>
  );
}

/** The whole key, this once: a copy button and a warning that it cannot be shown again. */
function CreatedSecret({ created, onDone }: { created: Created; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = () =>
    navigator.clipboard.writeText(created.secret).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  return (
    <div className="stack">
      <div className="alert alert-warn" role="status">
        <p>
          <strong>Copy the key “{created.name}” now.</strong> It is shown this once: only its hash
          is stored, and nobody can read it again. If it is lost, revoke it and create another.
        </p>
      </div>
      <TextField
        label="Secret key"
        className="secret"
        readOnly
        value={created.secret}
        onFocus={(event) => event.currentTarget.select()}
      />
      <div className="actions">
        <button type="button" className="button" onClick={() => void copy()}>
          Copy key
        </button>
        <button type="button" className="button secondary" onClick={onDone}>
          I have stored it
        </button>
      </div>
      <LiveRegion>
        {copied === 'yes' && <p className="status">Copied to the clipboard.</p>}
        {copied === 'failed' && (
          <p className="status">The browser refused to copy: select the key and copy it.</p>
        )}
      </LiveRegion>
    </div>
  );
}

function CreateKeyForm({
  pending,
  error,
  onSubmit,
}: {
  pending: boolean;
  error: unknown;
  onSubmit: (input: RouterInputs['apiKeys']['create']) => void;
}) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>([]);
  const [expires, setExpires] = useState('');
  const { fieldError, formError, submitChecked } = useFieldChecks(error);
  const toggle = (scope: Scope, on: boolean) =>
    setScopes((current) =>
      on ? [...current, scope] : current.filter((granted) => granted !== scope),
    );
  // A date means the end of that day, in the admin's own time zone.
  const expiresAt = expires ? new Date(`${expires}T23:59:59`) : null;

  const submit = submitChecked(
    {
      name: name.trim() ? undefined : 'Enter a name, e.g. the system that will use the key.',
      scopes: scopes.length > 0 ? undefined : 'Choose at least one scope.',
      // A past date is the server's to refuse (at expires_at): the clock is not read in render.
    },
    () =>
      onSubmit({
        name: name.trim(),
        scopes: SCOPES.map(({ scope }) => scope).filter((scope) => scopes.includes(scope)),
        expires_at: expiresAt ? expiresAt.toISOString() : null,
      }),
  );
  const scopesError = fieldError('scopes') ?? fieldError('scopes.0');

  return (
    <form onSubmit={submit} noValidate className="stack">
      <FormError error={formError} shownFields={FIELDS} />
      <TextField
        label="Name"
        value={name}
        maxLength={100}
        error={fieldError('name')}
        onChange={(event) => setName(event.target.value)}
      />
      <fieldset className="scopes" aria-describedby={scopesError ? 'scopes-error' : undefined}>
        <legend>Scopes</legend>
        {SCOPES.map(({ scope, label }) => (
          <div className="checkbox" key={scope}>
            <input
              id={`scope-${scope}`}
              type="checkbox"
              checked={scopes.includes(scope)}
              onChange={(event) => toggle(scope, event.target.checked)}
            />
            <label htmlFor={`scope-${scope}`}>
              {label} <code>{scope}</code>
            </label>
          </div>
        ))}
        {scopesError && (
          <span className="field-error" id="scopes-error">
            {scopesError}
          </span>
        )}
      </fieldset>
      <TextField
        label="Expires (optional)"
        type="date"
        value={expires}
        hint="Leave empty for a key that never expires. It stops working at the end of that day."
        error={fieldError('expires_at')}
        onChange={(event) => setExpires(event.target.value)}
      />
      <FormActions submitLabel="Create key" pending={pending} />
    </form>
  );
}
