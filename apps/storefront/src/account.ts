import { errorCode } from '@buybuy/client';
import { passwordSchema } from '@buybuy/validators';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';

/**
 * What the account screens share: the new-password check of the reset and
 * change forms, and the pages an emailed link opens (verify, confirm a new
 * address), which post the link's token back once.
 */

/** A new password typed twice, checked with the API's own rule: the problem of each field. */
export function checkNewPassword(password: string, repeat: string): Record<string, string> {
  if (password === '') return { password: 'Please fill this in.' };
  const issue = passwordSchema.safeParse(password).error?.issues[0];
  if (issue) return { password: issue.message };
  if (repeat !== password) return { repeat: 'The two passwords are not the same.' };
  return {};
}

/** Why an emailed link was refused: unknown, used or replaced; past its hour; or not a link refusal. */
export function linkProblem(error: unknown): 'invalid' | 'expired' | undefined {
  switch (errorCode(error)) {
    case 'LINK_INVALID':
      return 'invalid';
    case 'LINK_EXPIRED':
      return 'expired';
    default:
      return undefined;
  }
}

/**
 * Posts the `?token=` of an emailed link once, when the page opens: the
 * token works a single time, so neither React's double effects in
 * development nor a re-render may send it twice. No token: nothing is sent,
 * and the caller says the link is incomplete.
 */
export function useRedeemLink<T>(token: string | null, redeem: (token: string) => Promise<T>) {
  const redemption = useMutation({ mutationFn: redeem });
  const sent = useRef<string | null>(null);
  const { mutate } = redemption;
  useEffect(() => {
    if (!token || sent.current === token) return;
    sent.current = token;
    mutate(token);
  }, [token, mutate]);
  return redemption;
}
