import { useMutation } from '@tanstack/react-query';

import { api } from '../api';
import { messageOf } from '../errors';

/**
 * Sends a new verification link to the signed-in account's address; earlier
 * links stop working. The API allows a few emails an hour per address: a
 * refusal says how long to wait.
 */
export function ResendVerification({ email }: { email?: string }) {
  const resend = useMutation({ mutationFn: () => api.auth.resendVerification.mutate({}) });
  return (
    <div className="resend">
      <button
        type="button"
        className="button-secondary"
        disabled={resend.isPending}
        onClick={() => resend.mutate()}
      >
        {resend.isPending ? 'Sending…' : 'Send a new verification link'}
      </button>
      <div role="status">
        {resend.isSuccess && (
          <p className="success">
            We sent a new link{email ? ` to ${email}` : ''}. It works for 24 hours; earlier links no
            longer work.
          </p>
        )}
      </div>
      <div role="alert">
        {resend.isError && <p className="field-error">{messageOf(resend.error)}</p>}
      </div>
    </div>
  );
}
