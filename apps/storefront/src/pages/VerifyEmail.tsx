import { Link, useSearchParams } from 'react-router';

import { useRedeemLink } from '../account';
import { api } from '../api';
import { useAuth } from '../auth';
import { LinkFailure } from '../components/LinkFailure';
import { ResendVerification } from '../components/ResendVerification';
import { Loading } from '../components/ui';

/** The page the verification email links to: confirms the address as the page opens. */
export default function VerifyEmail() {
  const [params] = useSearchParams();
  const token = params.get('token');
  const { rereadProfile } = useAuth();
  const verify = useRedeemLink(token, async (linkToken) => {
    const status = await api.auth.verifyEmail.mutate({ token: linkToken });
    // A signed-in account page shows the new badge at once.
    await rereadProfile();
    return status;
  });

  return (
    <div className="narrow">
      <title>Verify your email · BuyBuy</title>
      <h1>Verify your email</h1>
      {verify.isSuccess ? (
        <div className="notice notice-info" role="status">
          <p>
            Thank you: <strong>{verify.data.email}</strong> is verified.
          </p>
          <p>
            <Link to="/">Continue shopping</Link>
          </p>
        </div>
      ) : !token || verify.isError ? (
        <LinkFailure error={token ? verify.error : undefined}>
          <NewLink />
        </LinkFailure>
      ) : (
        <Loading>Verifying your email address…</Loading>
      )}
    </div>
  );
}

/** The way on from a failed link: a new one, once signed in (the API sends it to the account's address). */
function NewLink() {
  const { signedIn, me } = useAuth();
  if (!signedIn) {
    return (
      <p>
        <Link to="/sign-in?next=/account">Sign in</Link> to have a new link sent to you.
      </p>
    );
  }
  if (me?.email_verified_at) {
    return (
      <p>
        Your address {me.email} is verified already: there is nothing more to do.{' '}
        <Link to="/account">Go to your account</Link>
      </p>
    );
  }
  return <ResendVerification email={me?.email} />;
}
