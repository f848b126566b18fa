import type { ReactNode } from 'react';

import { messageOf } from '../errors';

const INCOMPLETE =
  'This link is incomplete. Open it again from the email, or copy the whole address into your browser.';

/**
 * Why an emailed link did not work, and the way on (`children`: ask for a
 * new link, sign in...). `error` undefined: the page opened without a token.
 */
export function LinkFailure({ error, children }: { error?: unknown; children: ReactNode }) {
  return (
    <div className="notice notice-error" role="alert">
      <p>{error === undefined ? INCOMPLETE : messageOf(error)}</p>
      <div>{children}</div>
    </div>
  );
}
