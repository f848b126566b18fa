import { createBrowserRouter } from 'react-router';

import { Layout } from './components/Layout';
import { RouteError } from './components/RouteError';
import { Loading } from './components/ui';

/** Each screen is its own chunk, loaded when its route is first visited. */
const page = (load: () => Promise<{ default: React.ComponentType }>) => async () => ({
  Component: (await load()).default,
});

const HydrateFallback = () => (
  <main className="page narrow">
    <Loading />
  </main>
);

export const router = createBrowserRouter([
  {
    path: '/sign-in',
    lazy: page(() => import('./pages/SignIn')),
    ErrorBoundary: RouteError,
    HydrateFallback,
  },
  {
    path: '/',
    Component: Layout,
    ErrorBoundary: RouteError,
    HydrateFallback,
    children: [
      { index: true, lazy: page(() => import('./pages/Dashboard')) },
      { path: 'orders', lazy: page(() => import('./pages/Orders')) },
      { path: 'orders/:id', lazy: page(() => import('./pages/OrderDetail')) },
      { path: 'categories', lazy: page(() => import('./pages/Categories')) },
      { path: 'products', lazy: page(() => import('./pages/Products')) },
      { path: 'products/new', lazy: page(() => import('./pages/ProductEdit')) },
      { path: 'products/:id', lazy: page(() => import('./pages/ProductEdit')) },
      { path: 'shipping', lazy: page(() => import('./pages/ShippingMethods')) },
      { path: 'users', lazy: page(() => import('./pages/Users')) },
      { path: 'users/:id', lazy: page(() => import('./pages/UserDetail')) },
      { path: 'api-keys', lazy: page(() => import('./pages/ApiKeys')) },
      { path: 'jobs', lazy: page(() => import('./pages/Jobs')) },
      { path: '*', lazy: page(() => import('./pages/NotFound')) },
    ],
  },
]);
