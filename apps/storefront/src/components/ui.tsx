import { isRetryable } from '@buybuy/client';
import { type InputHTMLAttributes, useId } from 'react';

import { messageOf } from '../errors';

interface TextFieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  error?: string | undefined;
  hint?: string;
}

/** A labelled input whose hint and error are announced with it. */
export function TextField({
  label,
  error: givenError,
  hint: givenHint,
  className,
  ...input
}: TextFieldProps) {
  const id = useId();
  // The rule is said once: an error the hint already states ("At least 3 characters"
  // of "At least 3 characters: letters, digits, _ . -") shows the whole hint as the error.
  const repeats = Boolean(givenError && givenHint?.includes(givenError));
  const error = repeats ? givenHint : givenError;
  const hint = repeats ? undefined : givenHint;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint && hintId, error && errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', error && 'has-error', className].filter(Boolean).join(' ')}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      {hint && (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      )}
      {error && (
        <span className="field-error" id={errorId}>
          {error}
        </span>
      )}
    </div>
  );
}

/** A polite "working on it" line, announced once. */
export function Loading({ children = 'Loading…' }: { children?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {children}
    </p>
  );
}

/**
 * A failure in words, announced as soon as it appears, with a way to try again
 * when asking again could go differently (never for a refused request: a 400 answers the same).
 */
export function ErrorNotice({
  error,
  message,
  onRetry,
}: {
  error?: unknown;
  message?: string;
  onRetry?: () => void;
}) {
  return (
    <div className="notice notice-error" role="alert">
      <p>{message ?? messageOf(error)}</p>
      {onRetry && (error === undefined || isRetryable(error)) && (
        <button type="button" className="button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Form-level messages: always in the page, so screen readers hear what is written into it. */
export function FormAlert({ messages }: { messages: string[] }) {
  return (
    <div className="form-alert" role="alert" aria-live="assertive">
      {messages.length > 0 && (
        <div className="notice notice-error">
          {messages.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      )}
    </div>
  );
}
