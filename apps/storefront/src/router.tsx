import { lazy } from 'react';
import { createBrowserRouter } from 'react-router';

import { Layout } from './components/Layout';
import { RouteError } from './components/RouteError';

// Each screen is its own chunk: a shopper on a slow phone downloads only the page they open.
const Catalog = lazy(() => import('./pages/Catalog'));
const ProductPage = lazy(() => import('./pages/ProductPage'));
const SignIn = lazy(() => import('./pages/SignIn'));
const Register = lazy(() => import('./pages/Register'));
const Account = lazy(() => import('./pages/Account'));
const Cart = lazy(() => import('./pages/Cart'));
const Checkout = lazy(() => import('./pages/Checkout'));
const OrderPage = lazy(() => import('./pages/OrderPage'));
const Orders = lazy(() => import('./pages/Orders'));
const NotFound = lazy(() => import('./pages/NotFound'));

export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Catalog /> },
      { path: 'products/:id', element: <ProductPage /> },
      { path: 'signin', element: <SignIn /> },
      { path: 'register', element: <Register /> },
      { path: 'account', element: <Account /> },
      { path: 'account/orders', element: <Orders /> },
      { path: 'cart', element: <Cart /> },
      { path: 'checkout', element: <Checkout /> },
      { path: 'orders/:id', element: <OrderPage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
