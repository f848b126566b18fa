import { isUnauthenticated } from '@buybuy/client';
import { useQuery } from '@tanstack/react-query';
import { Suspense } from 'react';
import { Navigate, NavLink, Outlet, useLocation, useNavigation } from 'react-router';

import { useAuth } from '../auth';
import { shopInfo } from '../money';
import { ErrorState, Loading } from './ui';

/** The signed-in shell: only admins get past it, everyone else goes to the sign-in page. */
export function Layout() {
  const { signedIn, me, loading, error, signOut } = useAuth();
  const location = useLocation();
  const navigation = useNavigation();
  // Every amount is shown in the shop's currency: know it before any screen renders one.
  const shop = useQuery({ ...shopInfo(), enabled: signedIn });

  if (!signedIn || (error && isUnauthenticated(error))) {
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  }
  if (loading || (me && !me.is_staff)) {
    return (
      <main className="page narrow">
        <Loading label="Checking your session…" />
      </main>
    );
  }
  if (error || !me) {
    return (
      <main className="page narrow">
        <h1>BuyBuy admin</h1>
        <ErrorState error={error} onRetry={() => window.location.reload()} />
      </main>
    );
  }
  if (shop.isPending) {
    return (
      <main className="page narrow">
        <Loading />
      </main>
    );
  }
  if (shop.isError) {
    return (
      <main className="page narrow">
        <h1>BuyBuy admin</h1>
        <ErrorState error={shop.error} onRetry={() => void shop.refetch()} />
      </main>
    );
  }

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">{shop.data.name} admin</span>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Dashboard
          </NavLink>
          <NavLink to="/orders">Orders</NavLink>
          <NavLink to="/products">Products</NavLink>
          <NavLink to="/categories">Categories</NavLink>
          <NavLink to="/shipping">Shipping</NavLink>
          <NavLink to="/users">Users</NavLink>
          <NavLink to="/api-keys">API keys</NavLink>
          <NavLink to="/jobs">Jobs</NavLink>
        </nav>
        <div className="account">
          <span>
            Signed in as <strong>{me.username}</strong>
          </span>
          <button type="button" className="button secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      {navigation.state === 'loading' && <div className="progress" aria-hidden="true" />}
      <main id="main" className="page" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
