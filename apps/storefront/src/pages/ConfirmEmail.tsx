import { errorCode } from '@buybuy/client';
import { Link, useSearchParams } from 'react-router';

import { useRedeemLink } from '../account';
import { api } from '../api';
import { useAuth } from '../auth';
import { LinkFailure } from '../components/LinkFailure';
import { Loading } from '../components/ui';

/**
 * The page the email-change email links to (it went to the new address):
 * following it moves the account to that address, verified.
 */
export default function ConfirmEmail() {
  const [params] = useSearchParams();
  const token = params.get('token');
  const { signedIn, rereadProfile } = useAuth();
  const confirm = useRedeemLink(token, async (linkToken) => {
    const status = await api.auth.confirmEmailChange.mutate({ token: linkToken });
    await rereadProfile();
    return status;
  });

  return (
    <div className="narrow">
      <title>Confirm your new email · BuyBuy</title>
      <h1>Confirm your new email</h1>
      {confirm.isSuccess ? (
        <div className="notice notice-info" role="status">
          <p>
            Your email address is now <strong>{confirm.data.email}</strong>. Use it to sign in from
            now on.
          </p>
          <p>
            {signedIn ? (
              <Link to="/account">Go to your account</Link>
            ) : (
              <Link to="/sign-in">Sign in</Link>
            )}
          </p>
        </div>
      ) : !token || confirm.isError ? (
        <LinkFailure error={token ? confirm.error : undefined}>
          <p>
            {errorCode(confirm.error) === 'EMAIL_TAKEN'
              ? 'Your account keeps its current address. '
              : 'Your account keeps its current address: ask for the change again from your account. '}
            <Link to={signedIn ? '/account' : '/sign-in?next=/account'}>
              {signedIn ? 'Go to your account' : 'Sign in'}
            </Link>
          </p>
        </LinkFailure>
      ) : (
        <Loading>Changing your email address…</Loading>
      )}
    </div>
  );
}
