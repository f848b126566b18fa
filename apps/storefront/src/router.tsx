import { lazy } from 'react';
import { createBrowserRouter, Navigate, useLocation } from 'react-router';

import { Layout } from './components/Layout';
import { RouteError } from './components/RouteError';

// Each screen is its own chunk: a shopper on a slow phone downloads only the page they open.
const Catalog = lazy(() => import('./pages/Catalog'));
const ProductPage = lazy(() => import('./pages/ProductPage'));
const SignIn = lazy(() => import('./pages/SignIn'));
const Register = lazy(() => import('./pages/Register'));
const Account = lazy(() => import('./pages/Account'));
// The pages the account emails link to (their paths are in packages/api/src/auth/emails.ts).
const ForgotPassword = lazy(() => import('./pages/ForgotPassword'));
const ResetPassword = lazy(() => import('./pages/ResetPassword'));
const VerifyEmail = lazy(() => import('./pages/VerifyEmail'));
const ConfirmEmail = lazy(() => import('./pages/ConfirmEmail'));
const Cart = lazy(() => import('./pages/Cart'));
const Checkout = lazy(() => import('./pages/Checkout'));
const OrderPage = lazy(() => import('./pages/OrderPage'));
const Orders = lazy(() => import('./pages/Orders'));
const NotFound = lazy(() => import('./pages/NotFound'));

/** The storefront's old sign-in address (before both apps used /sign-in): old links and bookmarks still work. */
function OldSignIn() {
  const { search } = useLocation();
  return <Navigate to={{ pathname: '/sign-in', search }} replace />;
}

export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Catalog /> },
      { path: 'products/:id', element: <ProductPage /> },
      { path: 'sign-in', element: <SignIn /> },
      { path: 'signin', element: <OldSignIn /> },
      { path: 'register', element: <Register /> },
      { path: 'forgot-password', element: <ForgotPassword /> },
      { path: 'reset-password', element: <ResetPassword /> },
      { path: 'verify-email', element: <VerifyEmail /> },
      { path: 'confirm-email', element: <ConfirmEmail /> },
      { path: 'account', element: <Account /> },
      { path: 'account/orders', element: <Orders /> },
      { path: 'cart', element: <Cart /> },
      { path: 'checkout', element: <Checkout /> },
      { path: 'orders/:id', element: <OrderPage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
