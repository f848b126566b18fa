import { Suspense } from 'react';
import { Link, NavLink, Outlet, ScrollRestoration, useNavigate } from 'react-router';

import { useAuth } from '../auth';
import { useCart } from '../cart';
import { Loading } from './ui';

export function Layout() {
  const { signedIn, me, signOut } = useAuth();
  const count = useCart().data?.item_count ?? 0;
  const navigate = useNavigate();

  // Leave first (committed at once): a page that needs the account would otherwise send the shopper to sign in again.
  const onSignOut = async () => {
    await navigate('/', { flushSync: true });
    await signOut();
  };

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="container header-inner">
          <Link to="/" className="brand">
            BuyBuy
          </Link>
          <nav aria-label="Account">
            <ul className="nav-list">
              <li>
                <NavLink to="/" end>
                  Shop
                </NavLink>
              </li>
              <li>
                <NavLink
                  to="/cart"
                  className="cart-link"
                  aria-label={`Cart, ${count} ${count === 1 ? 'item' : 'items'}`}
                >
                  Cart {count > 0 && <span className="cart-count">{count}</span>}
                </NavLink>
              </li>
              {signedIn ? (
                <>
                  <li>
                    <NavLink to="/account">
                      {me ? `Hi, ${me.first_name || me.username}` : 'My account'}
                    </NavLink>
                  </li>
                  <li>
                    <button type="button" className="link-button" onClick={() => void onSignOut()}>
                      Sign out
                    </button>
                  </li>
                </>
              ) : (
                <>
                  <li>
                    <NavLink to="/sign-in">Sign in</NavLink>
                  </li>
                  <li>
                    <NavLink to="/register">Register</NavLink>
                  </li>
                </>
              )}
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" className="container" tabIndex={-1}>
        <Suspense fallback={<Loading>Loading the page…</Loading>}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="site-footer">
        <div className="container">BuyBuy, an open-source shop.</div>
      </footer>
      <ScrollRestoration />
    </>
  );
}
