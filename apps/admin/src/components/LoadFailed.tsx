import { errorCode } from '@buybuy/client';
import { type ReactNode } from 'react';

import { ErrorState } from './ui';

/** A record's page that could not load: its own "not found" page, or the failure with a retry. */
export function LoadFailed({
  title,
  error,
  missing,
  onRetry,
}: {
  title: string;
  error: unknown;
  missing: ReactNode;
  onRetry: () => void;
}) {
  if (errorCode(error) === 'NOT_FOUND') return missing;
  return (
    <>
      <h1>{title}</h1>
      <ErrorState error={error} onRetry={onRetry} />
    </>
  );
}
