import { fieldErrorsOf, isRetryable } from '@buybuy/client';
import {
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useEffect,
  useId,
  useRef,
} from 'react';

import { messageOf, otherErrorsOf } from '../errors';

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: string;
}

/** Label, control and its error, wired together for assistive technology. */
function useFieldIds(error: string | undefined, hint: string | undefined) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ');
  return { id, errorId, hintId, describedBy: describedBy || undefined };
}

function FieldMessages({ ids, error, hint }: { ids: ReturnType<typeof useFieldIds> } & FieldProps) {
  return (
    <>
      {hint && (
        <span className="hint" id={ids.hintId}>
          {hint}
        </span>
      )}
      {error && (
        <span className="field-error" id={ids.errorId}>
          {error}
        </span>
      )}
    </>
  );
}

export function TextField({
  label,
  error,
  hint,
  ...input
}: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const ids = useFieldIds(error, hint);
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={ids.id}>{label}</label>
      <input
        id={ids.id}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        {...input}
      />
      <FieldMessages ids={ids} label={label} error={error} hint={hint} />
    </div>
  );
}

export function TextArea({
  label,
  error,
  hint,
  ...input
}: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const ids = useFieldIds(error, hint);
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={ids.id}>{label}</label>
      <textarea
        id={ids.id}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        {...input}
      />
      <FieldMessages ids={ids} label={label} error={error} hint={hint} />
    </div>
  );
}

export function SelectField({
  label,
  error,
  hint,
  children,
  ...select
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const ids = useFieldIds(error, hint);
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={ids.id}>{label}</label>
      <select
        id={ids.id}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        {...select}
      >
        {children}
      </select>
      <FieldMessages ids={ids} label={label} error={error} hint={hint} />
    </div>
  );
}

export function Checkbox({
  label,
  ...input
}: { label: string } & Omit<InputHTMLAttributes<HTMLInputElement>, 'type'>) {
  const id = useId();
  return (
    <div className="checkbox">
      <input id={id} type="checkbox" {...input} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

/** An error region that screen readers announce as soon as it fills. */
export function Alert({
  children,
  tone = 'error',
}: {
  children: ReactNode;
  tone?: 'error' | 'success';
}) {
  return (
    <div className={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** A live region that stays in the page, so changes to it are announced. */
export function LiveRegion({ children }: { children: ReactNode }) {
  return (
    <div aria-live="polite" className="live">
      {children}
    </div>
  );
}

/**
 * A failure in words. Field errors for fields the screen does not show
 * (`shownFields` lists those it does) are spelled out under the message.
 * "Try again" only where asking again could go differently: never for a refused request (4xx).
 */
export function ErrorState({
  error,
  onRetry,
  shownFields = [],
}: {
  error: unknown;
  onRetry?: () => void;
  shownFields?: readonly string[];
}) {
  const fields = Object.keys(fieldErrorsOf(error));
  const message =
    fields.length > 0 && !fields.some((field) => shownFields.includes(field))
      ? 'Some values were not accepted:'
      : messageOf(error);
  const others = otherErrorsOf(error, shownFields).filter((text) => text !== message);
  return (
    <Alert>
      <p>{message}</p>
      {others.length > 0 && (
        <ul>
          {others.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      )}
      {onRetry && isRetryable(error) && (
        <button type="button" className="button secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </Alert>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

export interface PageInfo {
  page: number;
  per_page: number;
  total: number;
  total_pages: number;
}

export function Pagination({
  pagination,
  onPage,
  label,
}: {
  pagination: PageInfo;
  onPage: (page: number) => void;
  label: string;
}) {
  const { page, total, total_pages, per_page } = pagination;
  const first = total === 0 ? 0 : (page - 1) * per_page + 1;
  const last = Math.min(page * per_page, total);
  return (
    <nav className="pagination" aria-label={label}>
      <p>
        {first}–{last} of {total}
      </p>
      <button
        type="button"
        className="button secondary"
        disabled={page <= 1}
        onClick={() => onPage(page - 1)}
      >
        Previous page
      </button>
      <span>
        Page {page} of {Math.max(total_pages, 1)}
      </span>
      <button
        type="button"
        className="button secondary"
        disabled={page >= total_pages}
        onClick={() => onPage(page + 1)}
      >
        Next page
      </button>
    </nav>
  );
}

/** A modal confirmation on the native <dialog>: focus is trapped and Escape cancels. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel = 'Cancel',
  tone = 'danger',
  busy,
  error,
  shownFields,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** The button that closes the dialog and does nothing. */
  cancelLabel?: string;
  /** Danger for what cannot be undone; primary for a step forward. */
  tone?: 'danger' | 'primary';
  busy?: boolean;
  error?: unknown;
  /** Fields shown inside the dialog, whose errors appear beside them. */
  shownFields?: readonly string[];
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div>{children}</div>
      {error ? <ErrorState error={error} shownFields={shownFields} /> : null}
      <div className="actions">
        <button type="button" className="button secondary" onClick={onCancel} autoFocus>
          {cancelLabel}
        </button>
        <button
          type="button"
          className={`button${tone === 'danger' ? ' danger' : ''}`}
          onClick={onConfirm}
          disabled={busy}
        >
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

export function usePageTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · BuyBuy admin`;
  }, [title]);
}
